"""Locust users for bench/throughput.py: GET the host's path back to back, no wait time."""

import os

from locust import HttpUser, constant, task
from locust.contrib.fasthttp import FastHttpUser

PATH = os.environ.get("BENCH_PATH", "/")


class Plain(HttpUser):
    wait_time = constant(0)

    @task
    def get(self) -> None:
        self.client.get(PATH)


class Fast(FastHttpUser):
    wait_time = constant(0)

    @task
    def get(self) -> None:
        self.client.get(PATH)
