"""The query workers' sandbox: a seccomp filter, set after fork, that denies network sockets."""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import struct

__all__ = ["SandboxUnavailable", "deny_network", "probe"]

_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
#: Per machine: the audit architecture, and the numbers of socket, socketpair and
#: io_uring_setup (io_uring can open sockets too), from the kernel's syscall tables.
_ARCHES = {
    "x86_64": (0xC000003E, 41, 53, 425),
    "aarch64": (0xC00000B7, 198, 199, 425),
}
_X32_BIT = 0x40000000  # x86_64's x32 syscalls: refused whole


class SandboxUnavailable(OSError):
    """The platform cannot deny this process network sockets (the reason is the message)."""


def _program(arch: int, sock: int, pair: int, uring: int) -> list[tuple[int, int, int, int]]:
    """The BPF filter: on this architecture, ``socket``/``socketpair`` of any family but
    AF_UNIX and ``io_uring_setup`` fail with EACCES; a foreign architecture's calls fail."""
    deny = _ERRNO | errno.EACCES
    return [
        (_LD_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, deny),
        (_LD_ABS, 0, 0, 0),  # seccomp_data.nr
        (_JGE, 7, 0, _X32_BIT),
        (_JEQ, 2, 0, sock),
        (_JEQ, 1, 0, pair),
        (_JEQ, 4, 3, uring),
        (_LD_ABS, 0, 0, 16),  # seccomp_data.args[0], low word: the address family
        (_JEQ, 1, 0, socket.AF_UNIX),
        (_RET, 0, 0, deny),
        (_RET, 0, 0, _ALLOW),
        (_RET, 0, 0, deny),
    ]


def deny_network() -> None:
    """From now on this process (and what it forks) cannot open a network socket.

    Raises :class:`SandboxUnavailable` where the platform has no seccomp filters.
    """
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in _ARCHES:
        raise SandboxUnavailable(f"no seccomp filter for {platform.system()} on {machine}")
    code = b"".join(struct.pack("=HBBI", *op) for op in _program(*_ARCHES[machine]))
    filters = ctypes.create_string_buffer(code)
    prog = struct.pack("=HxxxxxxQ", len(code) // 8, ctypes.addressof(filters))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [
        ctypes.c_int,
        ctypes.c_ulong,
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_ulong,
    ]
    buffer = ctypes.create_string_buffer(prog)
    if (
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0
        or libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(buffer), 0, 0) != 0
    ):
        raise SandboxUnavailable(f"seccomp refused: {os.strerror(ctypes.get_errno())}")


def probe() -> str:
    """What a query worker will be denied, said in a sentence for the log at start.

    Forks a child that installs the filter and tries an AF_INET socket.
    """
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in _ARCHES:
        reason = f"no seccomp filter for {platform.system()} on {machine}"
    else:
        pid = os.fork()
        if pid == 0:  # the child: exit status 0 = socket denied, else 1
            try:
                deny_network()
                socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
            except PermissionError:
                os._exit(0)
            except BaseException:
                pass
            os._exit(1)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            return "query workers run under a seccomp filter: they cannot open network sockets"
        reason = "the kernel refused the seccomp filter"
    return (
        f"query workers are NOT sandboxed ({reason}): only the query guard keeps SERVICE "
        "and FROM from reaching the network"
    )
