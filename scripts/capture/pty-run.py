#!/usr/bin/env python3
"""Run one command inside a fresh pseudo-terminal and copy every byte it writes to stdout.

Usage: pty-run.py [--cols N] [--rows N] [--timeout S] -- CMD [ARG...]
Exits with the command's exit code (128+signal if it was killed by one).

The window size is set on the slave before the child starts, so the docker CLI sees an
80x24 terminal from its first ioctl. Output post-processing (ONLCR) is switched off so the
recorded bytes are exactly what the program wrote (bare \\n), as the simulator prints them;
a renderer with convertEol shows both the same way.
"""
import argparse, errno, fcntl, os, select, signal, struct, sys, termios, time, tty

ap = argparse.ArgumentParser()
ap.add_argument('--cols', type=int, default=80)
ap.add_argument('--rows', type=int, default=24)
ap.add_argument('--timeout', type=float, default=600)
ap.add_argument('cmd', nargs=argparse.REMAINDER)
a = ap.parse_args()
cmd = a.cmd[1:] if a.cmd[:1] == ['--'] else a.cmd
if not cmd:
    ap.error('no command')

master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', a.rows, a.cols, 0, 0))
attrs = termios.tcgetattr(slave)
attrs[1] &= ~termios.ONLCR  # oflag
attrs[3] &= ~termios.ECHO   # lflag: nothing is typed, but keep stray input out of the capture
termios.tcsetattr(slave, termios.TCSANOW, attrs)

pid = os.fork()
if pid == 0:
    os.close(master)
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    if slave > 2:
        os.close(slave)
    try:
        os.execvp(cmd[0], cmd)
    except OSError as e:
        os.write(2, f'pty-run: {cmd[0]}: {e.strerror}\n'.encode())
        os._exit(127)

os.close(slave)
out = sys.stdout.buffer
deadline = time.monotonic() + a.timeout
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        os.kill(pid, signal.SIGKILL)
        sys.stderr.write('pty-run: timeout\n')
        break
    r, _, _ = select.select([master], [], [], min(left, 1.0))
    if not r:
        continue
    try:
        data = os.read(master, 65536)
    except OSError as e:
        if e.errno == errno.EIO:  # every slave fd is closed: the command and its children are done
            break
        raise
    if not data:
        break
    out.write(data)
    out.flush()

_, status = os.waitpid(pid, 0)
os.close(master)
if os.WIFSIGNALED(status):
    sys.exit(128 + os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
