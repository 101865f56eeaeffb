import pytest


@pytest.fixture(scope="session")
def model():
    from engine.runtime import load_model

    return load_model()  # the real embedded default model
