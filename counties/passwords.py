"""Password validators with the messages in Chinese."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    """Django's minimum length; Django 5.2's Chinese catalogue lacks this message."""

    def get_error_message(self) -> str:
        return f"密码长度太短：至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
