"""Keep notebook execution from stalling on a lost wake-up (a local Sphinx extension).

When the book is built, myst-nb executes each notebook with nbclient, which waits for
every cell's reply from the kernel with jupyter_client's asyncio channels: one
``await socket.poll(timeout)`` on a zmq socket, with the cell timeout (120 s). With
the pinned pyzmq 27.3 and jupyter_client 8.10 that wait sometimes misses the reply's
arrival (zmq signals arrivals through an edge-triggered file descriptor, a known
source of lost wake-ups in asyncio integrations) and sleeps for the whole timeout,
although the reply came within milliseconds: the poll then finds it and the build
goes on, 120 s late. It happened in two of six CI runs, always in chapter 4's cell
with an ipywidgets ``interact``, and on this 2-core machine it reproduces in about
one run in five when two other processes keep the cores busy.

This extension makes each wait a series of polls of at most ``POLL_SLICE`` seconds,
so a lost wake-up costs at most that. Nothing else changes: the same messages are
read in the same order, and a reply that never comes still times out as before.
``tests/test_kernel_replies.py`` checks both.
"""
import time
from queue import Empty

from jupyter_client.channels import AsyncZMQSocketChannel

POLL_SLICE = 0.25
"""Longest single wait on a kernel socket, in seconds."""


async def get_msg_in_slices(self, timeout=None):
    """Get a message if there is one that is ready, checking at least every POLL_SLICE s.

    Same contract as ``AsyncZMQSocketChannel.get_msg``: returns the next message, or
    raises ``queue.Empty`` when ``timeout`` seconds pass without one (None: wait forever).
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        wait = POLL_SLICE
        if deadline is not None:
            wait = min(wait, max(0.0, deadline - time.monotonic()))
        if await self.socket.poll(int(wait * 1000)):
            return await self._recv()
        if deadline is not None and time.monotonic() >= deadline:
            raise Empty


def setup(app):
    AsyncZMQSocketChannel.get_msg = get_msg_in_slices
    return {"parallel_read_safe": True, "parallel_write_safe": True}
