"""Tests of _ext/kernel_replies.py: a lost wake-up costs one poll slice, not the cell timeout."""
import asyncio
import sys
import time
from pathlib import Path
from queue import Empty

import pytest
import yaml
from jupyter_client.channels import AsyncZMQSocketChannel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
import kernel_replies  # noqa: E402


class LostWakeupSocket:
    """A kernel socket whose message arrives ``arrives_after`` s after the wait starts, and
    whose poll never notices an arrival while waiting: like zmq's lost edge-triggered
    wake-up, it only sees the message when its own timeout ends and it checks once more."""

    def __init__(self, arrives_after):
        self.arrival = time.monotonic() + arrives_after if arrives_after is not None else None

    def ready(self):
        return self.arrival is not None and time.monotonic() >= self.arrival

    async def poll(self, timeout_ms=None):
        if not self.ready():
            await asyncio.sleep(timeout_ms / 1000)
        return int(self.ready())


class Channel:
    def __init__(self, arrives_after):
        self.socket = LostWakeupSocket(arrives_after)

    async def _recv(self):
        return {"msg_type": "execute_reply"}


def _timed(get_msg, channel, timeout):
    start = time.monotonic()
    try:
        result = asyncio.run(get_msg(channel, timeout))
    except Empty:
        result = Empty
    return result, time.monotonic() - start


def test_the_unpatched_wait_sleeps_through_its_whole_timeout():
    # the failure mode, with the channel's own get_msg: the reply comes at 0.05 s, seen at 1.5 s
    reply, seconds = _timed(AsyncZMQSocketChannel.get_msg, Channel(0.05), timeout=1.5)
    assert reply["msg_type"] == "execute_reply" and seconds >= 1.5


def test_a_lost_wakeup_costs_at_most_one_slice():
    reply, seconds = _timed(kernel_replies.get_msg_in_slices, Channel(0.05), timeout=1.5)
    assert reply["msg_type"] == "execute_reply"
    assert seconds < kernel_replies.POLL_SLICE + 0.2


@pytest.mark.parametrize("timeout", [0.0, 0.6])
def test_no_reply_still_times_out_on_time(timeout):
    result, seconds = _timed(kernel_replies.get_msg_in_slices, Channel(None), timeout=timeout)
    assert result is Empty
    assert timeout <= seconds < timeout + 0.2


def test_the_book_build_loads_the_extension():
    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "_config.yml").read_text())
    assert config["sphinx"]["local_extensions"]["kernel_replies"] == "_ext"
