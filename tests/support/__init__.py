"""What the tests share: the fact builder and the reducer they run."""
