import pytest
from django.core.management import call_command


@pytest.fixture
def live_catalogue(transactional_db, live_server):
    call_command("load_catalogue", verbosity=0)
    return live_server
