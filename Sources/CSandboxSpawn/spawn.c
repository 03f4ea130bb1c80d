#define _GNU_SOURCE
#include "CSandboxSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int set_limit(int resource, long long value, long long hard_extra) {
    if (value < 0) return 0;
    struct rlimit limit = {(rlim_t)value, (rlim_t)(value + hard_extra)};
    return setrlimit(resource, &limit);
}

// Runs in the child between fork and exec: async-signal-safe calls only.
static void child_exec(const char *path, char *const argv[], char *const envp[], const char *cwd,
                       int stdout_fd, int stderr_fd, const cs_limits *limits, int report_fd) {
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        signal(sig, SIG_DFL);
    }
    if (setsid() < 0) goto fail;

    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0) goto fail;
    if (dup2(null_fd, 0) < 0) goto fail;
    if (dup2(stdout_fd, 1) < 0) goto fail;
    if (dup2(stderr_fd, 2) < 0) goto fail;
    if (cwd != NULL && chdir(cwd) < 0) goto fail;

    if (limits != NULL) {
        // The CPU hard limit is one second above the soft one: at the soft limit the kernel sends
        // SIGXCPU (which tells a CPU timeout apart from other deaths); equal limits would send
        // SIGKILL first.
        if (set_limit(RLIMIT_CPU, limits->cpu_seconds, 1) < 0) goto fail;
        if (set_limit(RLIMIT_AS, limits->address_space_bytes, 0) < 0) goto fail;
        if (set_limit(RLIMIT_FSIZE, limits->file_size_bytes, 0) < 0) goto fail;
        if (set_limit(RLIMIT_NPROC, limits->processes, 0) < 0) goto fail;
        if (set_limit(RLIMIT_NOFILE, limits->open_files, 0) < 0) goto fail;
        if (set_limit(RLIMIT_CORE, limits->core_bytes, 0) < 0) goto fail;
    }
    // Everything above 2 closes at exec, the report pipe included (it is close-on-exec already).
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
        for (int fd = 3; fd < 1024; fd++) {
            if (fd != report_fd) close(fd);
        }
    }
    execve(path, argv, envp);
fail:;
    int error = errno;
    ssize_t ignored = write(report_fd, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

pid_t cs_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
               int stdout_fd, int stderr_fd, const cs_limits *limits, int *child_errno) {
    int report[2];
    *child_errno = 0;
    if (pipe2(report, O_CLOEXEC) < 0) {
        *child_errno = errno;
        return -1;
    }
    // A raw clone instead of fork(): glibc's fork() runs the pthread_atfork handlers, and
    // OpenBLAS registers one (blas_thread_shutdown_) that takes its server lock. When another
    // thread of this process is inside a BLAS call — the model generating while the sandbox runs
    // its programs — that handler blocks forever and the whole process deadlocks (seen in the
    // test suite). The child below only makes raw system calls until execve, so it needs none of
    // the state the atfork handlers would reset.
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, NULL, NULL, 0UL);
    if (pid < 0) {
        *child_errno = errno;
        close(report[0]);
        close(report[1]);
        return -1;
    }
    if (pid == 0) {
        close(report[0]);
        child_exec(path, argv, envp, cwd, stdout_fd, stderr_fd, limits, report[1]);
    }
    close(report[1]);
    int error = 0;
    ssize_t n;
    do {
        n = read(report[0], &error, sizeof error);
    } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof error) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        *child_errno = error;
        return -1;
    }
    return pid;
}

int cs_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int cs_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int cs_has_exited(pid_t pid) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return 0;
    return info.si_pid == pid;
}
