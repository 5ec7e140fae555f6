from tests.community.conftest import english_messages

__all__ = ["english_messages"]
