/// The Python side of batched execution: one sandboxed process runs many test units, each in a
/// forked child of its own.
///
/// Why fork per unit: a fresh interpreter per test (what the HumanEvalComm reference scripts do,
/// `subprocess.run(["python", …])` per case) costs ~25 ms of start-up and a sandbox ~25 ms more;
/// a fork of the already-started harness costs ~1 ms and still gives every unit a fresh state, its
/// own CPU and memory limits (inherited rlimits count per process), and a crash domain of its own —
/// a segfault, `os._exit` or a hang in one unit never hides the results of the others.
///
/// Protocol: the harness reads `batch.json` beside itself and writes one line per finished unit to
/// the stdout it started with: `<nonce> <json>`. The nonce, chosen per batch by the Swift side,
/// keeps anything a unit prints from being mistaken for a result (units' own stdout goes to a
/// buffer or to /dev/null, never to that stream). Unit JSON fields: see ``HarnessUnit``.
enum PythonHarness {
    static let source = #"""
        import builtins, io, json, os, select, signal, sys, time, types

        class _Timeout(BaseException):
            pass

        class _Discard(io.TextIOBase):
            def writable(self):
                return True
            def write(self, text):
                return len(text)

        class _Capped(io.TextIOBase):
            def __init__(self, cap):
                self.parts, self.size, self.cap = [], 0, cap
            def writable(self):
                return True
            def write(self, text):
                if self.size < self.cap:
                    self.parts.append(text[: self.cap - self.size])
                    self.size += len(text)
                return len(text)
            def getvalue(self):
                return ''.join(self.parts)

        def _on_alarm(signum, frame):
            raise _Timeout()

        def _child(unit, write_fd):
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            out = _Capped(unit['outputCap']) if unit['capture'] else _Discard()
            sys.stdout, sys.stderr = out, _Discard()
            sys.stdin = io.StringIO(unit.get('stdin') or '')
            status, error = 'passed', ''
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, unit['timeout'])
            try:
                if unit.get('module') is not None:
                    name = unit['moduleName']
                    module = types.ModuleType(name)
                    if unit.get('disablePrint'):
                        module.__dict__['print'] = lambda *args, **kwargs: None
                    sys.modules[name] = module
                    exec(compile(unit['module'], name + '.py', 'exec'), module.__dict__)
                program = unit['program']
                if unit.get('templateInput') is not None:
                    program = program.replace('$input$', str(json.loads(unit['templateInput'])))
                    program = program.replace('$demo$', unit['moduleName'])
                scope = {'__name__': '__main__'} if unit['asMain'] else {}
                exec(compile(program, '<test>', 'exec'), scope)
            except _Timeout:
                status = 'timeout'
            except MemoryError:
                status, error = 'memoryExceeded', 'MemoryError'
            except SystemExit as exit:
                if not (unit['exitIsSuccess'] and exit.code in (None, 0)):
                    status, error = 'failed', 'SystemExit: %r' % (exit.code,)
            except BaseException as exception:
                status, error = 'failed', '%s: %s' % (type(exception).__name__, exception)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            captured = out.getvalue() if unit['capture'] else None
            payload = json.dumps({'status': status, 'stdout': captured, 'error': error[:2000]}).encode()
            while payload:
                payload = payload[os.write(write_fd, payload):]

        def _run(unit, fresh_pid_namespace):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                try:
                    os.close(read_fd)
                    os.setpgid(0, 0)
                    _child(unit, write_fd)
                finally:
                    os._exit(0)
            os.close(write_fd)
            deadline = time.monotonic() + unit['timeout'] + 0.5
            chunks, timed_out = [], False
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                ready, _, _ = select.select([read_fd], [], [], remaining)
                if ready:
                    chunk = os.read(read_fd, 1 << 16)
                    if not chunk:
                        break
                    chunks.append(chunk)
            os.close(read_fd)
            for target in (-pid, pid):
                try:
                    os.kill(target, signal.SIGKILL)
                except OSError:
                    pass
            _, status = os.waitpid(pid, 0)
            if fresh_pid_namespace:
                # Sweep anything the unit left behind (daemons, setsid escapees); kill(-1) spares us.
                # _sweep_is_safe() is checked again here: outside a fresh pid namespace, kill(-1) as
                # root kills every process on the machine.
                try:
                    if not _sweep_is_safe():
                        raise OSError('not in a fresh pid namespace')
                    os.kill(-1, signal.SIGKILL)
                except OSError:
                    pass
                try:
                    while os.waitpid(-1, os.WNOHANG)[0] > 0:
                        pass
                except ChildProcessError:
                    pass
            if timed_out:
                return {'status': 'timeout', 'stdout': None, 'error': 'timed out'}
            try:
                return json.loads(b''.join(chunks))
            except ValueError:
                if os.WIFSIGNALED(status):
                    how = 'killed by signal %d' % os.WTERMSIG(status)
                else:
                    how = 'exited with status %d' % os.WEXITSTATUS(status)
                return {'status': 'crashed', 'stdout': None, 'error': 'test process ' + how}

        def _sweep_is_safe():
            """kill(-1) reaches every process we may signal. It is only safe as an unprivileged user
            that is the init (pid 1) of a fresh pid namespace or init's first child (pid 2, under
            bubblewrap's reaper): no process outside the sandbox has such a pid in its own namespace
            except the machine's init and kthreadd, which a harness can never be."""
            return os.getuid() != 0 and os.geteuid() != 0 and os.getpid() <= 2

        def _main():
            here = os.path.dirname(os.path.abspath(__file__))
            with open(os.path.join(here, 'batch.json'), encoding='utf-8') as handle:
                batch = json.load(handle)
            batch['freshPidNamespace'] = batch['freshPidNamespace'] and _sweep_is_safe()
            report = os.fdopen(os.dup(1), 'w', encoding='utf-8')
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 1)
            for index in range(batch['start'], len(batch['units'])):
                result = _run(batch['units'][index], batch['freshPidNamespace'])
                result['index'] = index
                report.write(batch['nonce'] + ' ' + json.dumps(result) + '\n')
                report.flush()

        _main()
        """#
}
