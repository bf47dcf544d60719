"""A seeded random source whose output does not change across Python versions."""
from __future__ import annotations

import math
import random
from collections.abc import Sequence


class StableRandom:
    """CPython only promises that string seeding and `random()` stay the same
    across versions (`randint`, `choice`, `sample`... have changed before), so
    everything else is derived from `random()` here."""

    __slots__ = ("random",)

    def __init__(self, seed: str):
        self.random = random.Random(seed).random

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Sequence):
        return seq[int(self.random() * len(seq))]

    def weighted(self, items: Sequence, weights: Sequence[float]):
        x = self.random() * sum(weights)
        for item, w in zip(items, weights):
            x -= w
            if x < 0:
                return item
        return items[-1]

    def sample(self, items: Sequence, k: int) -> list:
        pool = list(items)
        for i in range(k):
            j = i + int(self.random() * (len(pool) - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def lognormal(self, mu: float, sigma: float) -> float:
        u = 1.0 - self.random()  # (0, 1]: log() must not see 0
        z = math.sqrt(-2.0 * math.log(u)) * math.cos(2 * math.pi * self.random())
        return math.exp(mu + sigma * z)
