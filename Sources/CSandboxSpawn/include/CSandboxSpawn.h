// Process spawning for the Sandbox target.
//
// Why C: resource limits, a new session and the standard descriptors must be set up in the child
// between fork and exec, where only async-signal-safe calls are allowed. Swift cannot run code
// there safely (its runtime may take locks), so this small shim does that window and nothing else.
#ifndef CSANDBOXSPAWN_H
#define CSANDBOXSPAWN_H

#include <sys/types.h>

/// Resource limits applied with setrlimit(2) in the child; a negative value leaves a limit as is.
typedef struct {
    long long cpu_seconds;          // RLIMIT_CPU: SIGXCPU, then SIGKILL one second later
    long long address_space_bytes;  // RLIMIT_AS: allocations fail (Python raises MemoryError)
    long long file_size_bytes;      // RLIMIT_FSIZE: larger writes fail with EFBIG
    long long processes;            // RLIMIT_NPROC: binds only for a non-root real user id
    long long open_files;           // RLIMIT_NOFILE
    long long core_bytes;           // RLIMIT_CORE: 0, so crashes leave no core files
} cs_limits;

/// Forks and executes `path` with `argv`/`envp` (NULL-terminated) in a new session (so the child
/// leads its own process group, which `kill(-pid, …)` reaches), with stdin on /dev/null, stdout
/// and stderr on the given descriptors, every other descriptor closed, the signal mask cleared,
/// default signal dispositions, the working directory `cwd` (NULL: inherit) and `limits`.
///
/// Returns the child's pid, or -1 when fork or exec failed; then `*child_errno` holds the error
/// (exec failures are reported through a close-on-exec pipe, so they are never mistaken for a
/// program's own exit status).
pid_t cs_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
               int stdout_fd, int stderr_fd, const cs_limits *limits, int *child_errno);

/// pidfd_open(2): a descriptor that becomes readable when the process exits, so a poll loop can
/// wait for output and exit at once. Returns -1 with errno set where the kernel lacks it.
int cs_pidfd_open(pid_t pid);

/// pipe2(2) with O_CLOEXEC, so no other child spawned meanwhile inherits the descriptors.
int cs_pipe_cloexec(int fds[2]);

/// Whether the child has exited, without reaping it (waitid with WNOWAIT): while it is an
/// unreaped zombie its pid, and so its process-group id, cannot be reused.
int cs_has_exited(pid_t pid);

#endif
