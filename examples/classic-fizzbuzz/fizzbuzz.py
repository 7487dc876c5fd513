"""The classic FizzBuzz kata."""


def fizzbuzz(n):
    """Return FizzBuzz strings for 1..n."""
    raise NotImplementedError("fizzbuzz is not written yet")
