"""Two uploads of the same county-year confirmed at the same moment, in two threads with two
database connections: exactly one is saved, the other is refused, no update is lost."""

import threading

import pytest
from django.db import connection

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
from indicators.models import IndicatorValue
from lvliang_eco.seed import seed_load
from submissions import services
from submissions.models import Submission, Upload

from ..conftest import PASSWORD
from .helpers import fill, template


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_moment():
    seed_load()  # a transactional test may follow others that emptied the database
    area = Area.objects.get(code="141122")
    jiaocheng_officer = user_create(username="t-jc", password=PASSWORD, role=Role.COUNTY, area=area)
    bureau_user = user_create(username="t-bureau", password=PASSWORD, role=Role.BUREAU)
    first = services.upload_preview(
        user=jiaocheng_officer, area=area, year=2025, name="a.xlsx",
        content=fill(template(), {"28": (96.5, None, None)}),
    )  # fmt: skip
    second = services.upload_preview(
        user=bureau_user, area=area, year=2025, name="b.xlsx",
        content=fill(template(), {"28": (97.5, None, None)}),
    )  # fmt: skip
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def confirm(name: str, user, upload: Upload) -> None:
        try:
            barrier.wait()
            services.upload_confirm(user=user, upload=upload)
            outcomes[name] = "saved"
        except services.SubmissionError as error:
            outcomes[name] = f"refused: {error}"
        except Exception as error:  # a database that serialises writers may time out instead
            outcomes[name] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=("first", jiaocheng_officer, first)),
        threading.Thread(target=confirm, args=("second", bureau_user, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = [name for name, outcome in outcomes.items() if outcome == "saved"]
    assert len(saved) == 1, outcomes
    loser = "second" if saved == ["first"] else "first"
    assert not outcomes[loser].startswith("saved")
    winner = first if saved == ["first"] else second
    value = IndicatorValue.objects.get(area=area, year=2025, indicator__code="28")
    assert value.value_text == ("96.5" if winner is first else "97.5")
    assert Submission.objects.get(area=area, year=2025).version == 1
    assert Upload.objects.filter(status=Upload.Status.CONFIRMED).count() == 1
