"""The export command answers an unwritable output path with a clear message, not a traceback."""

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_an_unwritable_output_file_is_a_clear_command_error(tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("export", "d05-ts", "--out", str(tmp_path / "missing-folder" / "x.xlsx"))
    assert str(err.value).startswith("Không ghi được tệp ")
