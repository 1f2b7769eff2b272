from django import forms
from django.conf import settings

from .spreadsheet import size_message


class UploadForm(forms.Form):
    file = forms.FileField(label="填好的模板（.xlsx）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SUBMISSION_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(size_message(upload.size, limit))
        return upload


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
