#include "engine/couch/JsSandbox.h"

#include "engine/couch/CouchService.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcJs, "repldesk.couch.js", QtInfoMsg)

namespace repl {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int ExitOutOfMemory = 3; // repldesk-js (js_main.cpp)
constexpr int ExitNotStarted = 127;
constexpr qsizetype MaxAnswerBytes = qsizetype(64) << 20;

// Sanitizers reserve terabytes of address space: RLIMIT_AS would stop the helper at start.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool Sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
constexpr bool Sanitized = true;
#else
constexpr bool Sanitized = false;
#endif
#else
constexpr bool Sanitized = false;
#endif

CouchError processError(int status, const QString &reason)
{
    return {status, QStringLiteral("os_process_error"), reason};
}

// Kills and reaps a helper that is no longer listed anywhere (so its pid cannot be reused
// under anyone's feet).
void stopProcess(int &fd, pid_t pid)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

} // namespace

struct JsSandbox::Helper
{
    pid_t pid = -1;
    int fd = -1;       // our end of its stdin/stdout socket
    QByteArray loaded; // the kind and source compiled in it
    bool retire = false;
    bool dead = false; // failed: killed, reaped and no longer counted
};

JsSandbox &JsSandbox::of(Engine &engine)
{
    static std::mutex attachMutex; // two servers on one engine attach it once
    std::lock_guard lock(attachMutex);
    if (auto *s = engine.service<JsSandbox>())
        return *s;
    auto made = std::make_unique<JsSandbox>(defaultProgram(), defaultLimits());
    JsSandbox &s = *made;
    engine.attach(std::move(made));
    return s;
}

QString JsSandbox::defaultProgram()
{
    if (qEnvironmentVariableIsSet("REPLDESK_JS_BINARY"))
        return qEnvironmentVariable("REPLDESK_JS_BINARY");
    if (QCoreApplication::instance())
        return QCoreApplication::applicationDirPath() + QStringLiteral("/repldesk-js");
    return QStringLiteral("repldesk-js");
}

JsSandbox::Limits JsSandbox::defaultLimits()
{
    Limits l;
    if (Sanitized)
        l.memoryBytes = 0;
    return l;
}

JsSandbox::JsSandbox(QString program, Limits limits)
    : m_program(std::move(program))
    , m_limits(limits)
{}

JsSandbox::~JsSandbox()
{
    close();
}

void JsSandbox::close()
{
    std::vector<std::unique_ptr<Helper>> idle;
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        // Their workers see the socket close and return; they reap them.
        for (Helper *h : m_busy)
            ::kill(h->pid, SIGKILL);
        idle.swap(m_idle);
        m_live -= int(idle.size());
        m_cv.notify_all();
    }
    for (auto &h : idle)
        stopProcess(h->fd, h->pid);
}

std::unique_ptr<JsFunction> JsSandbox::compile(Kind kind, const QString &name,
                                               const QString &source)
{
    QByteArray key = kind == Kind::Map ? QByteArrayLiteral("map:") : QByteArrayLiteral("filter:");
    key += source.toUtf8();
    std::unique_ptr<JsFunction> fn(new JsFunction(*this, acquire(key, name), kind, name));
    Helper &h = *fn->m_helper;
    if (h.loaded == key)
        return fn;
    h.loaded.clear();
    const QJsonArray request{QStringLiteral("compile"),
                             kind == Kind::Map ? QStringLiteral("map") : QStringLiteral("filter"),
                             source};
    const QByteArray line = QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n';
    const QString doing = QStringLiteral("while its source was evaluated");
    const QJsonObject answer = QJsonDocument::fromJson(exchange(h, line, name, doing)).object();
    h.retire = answer.value(QStringLiteral("retire")).toBool();
    if (!answer.value(QStringLiteral("ok")).toBool()) {
        if (!answer.contains(QStringLiteral("reason")))
            fail(h, Failure::Garbled, name, doing);
        throw CouchError(500, QStringLiteral("compilation_error"),
                         QStringLiteral("%1 does not compile: %2")
                             .arg(name, answer.value(QStringLiteral("reason")).toString()));
    }
    h.loaded = key;
    return fn;
}

std::unique_ptr<JsSandbox::Helper> JsSandbox::acquire(const QByteArray &key, const QString &name)
{
    std::unique_lock lock(m_mutex);
    const auto deadline = Clock::now() + std::chrono::milliseconds(m_limits.waitMs);
    bool queued = false;
    bool lastLook = false;
    struct Unqueue
    {
        bool &queued;
        int &waiting;
        ~Unqueue()
        {
            if (queued)
                --waiting;
        }
    } unqueue{queued, m_waiting}; // runs with the lock held (declared after it)
    for (;;) {
        if (m_closed)
            throw processError(503,
                               QStringLiteral("%1 was not run: the server is stopping").arg(name));
        // An idle helper whose process is gone (killed from outside) is dropped.
        std::erase_if(m_idle, [this](const std::unique_ptr<Helper> &h) {
            if (::waitpid(h->pid, nullptr, WNOHANG) == 0)
                return false;
            ::close(h->fd);
            --m_live;
            return true;
        });
        if (!m_idle.empty()) {
            auto it = std::find_if(m_idle.begin(), m_idle.end(),
                                   [&key](const auto &h) { return h->loaded == key; });
            if (it == m_idle.end())
                it = m_idle.end() - 1; // the most recently used
            std::unique_ptr<Helper> h = std::move(*it);
            m_idle.erase(it);
            m_busy.insert(h.get());
            return h;
        }
        if (m_live < m_limits.processes) {
            ++m_live;
            lock.unlock();
            std::unique_ptr<Helper> h;
            try {
                h = spawn(name);
            } catch (...) {
                lock.lock();
                --m_live;
                m_cv.notify_one();
                throw;
            }
            lock.lock();
            if (m_closed) {
                --m_live;
                lock.unlock();
                stopProcess(h->fd, h->pid);
                lock.lock();
                continue; // answers "stopping"
            }
            m_busy.insert(h.get());
            return h;
        }
        if (!queued) {
            if (m_waiting >= m_limits.waiting)
                break;
            ++m_waiting;
            queued = true;
        }
        if (lastLook)
            break;
        if (m_cv.wait_until(lock, deadline) == std::cv_status::timeout)
            lastLook = true;
    }
    throw processError(503, QStringLiteral("%1 was not run: all %2 JavaScript processes are busy; "
                                           "try again")
                                .arg(name)
                                .arg(m_limits.processes));
}

std::unique_ptr<JsSandbox::Helper> JsSandbox::spawn(const QString &name)
{
    const QByteArray program = QFile::encodeName(m_program);
    if (::access(program.constData(), X_OK) != 0)
        throw processError(500, QStringLiteral("%1 cannot run: the JavaScript helper %2 is "
                                               "missing")
                                    .arg(name, m_program));
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw processError(500, QStringLiteral("%1 cannot run: no socket for its process (%2)")
                                    .arg(name, QString::fromLocal8Bit(::strerror(errno))));

    // Everything the child needs is made before fork: after it, only async-signal-safe calls.
    char *const argv[] = {const_cast<char *>(program.constData()), nullptr};
    QList<QByteArray> environment{QByteArrayLiteral("LANG=C.UTF-8")};
    for (const char *passed : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"})
        if (qEnvironmentVariableIsSet(passed))
            environment.append(QByteArray(passed) + '=' + qgetenv(passed));
    std::vector<char *> envp;
    for (QByteArray &e : environment)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const bool limitMemory = m_limits.memoryBytes > 0;
    const rlimit memory{rlim_t(m_limits.memoryBytes), rlim_t(m_limits.memoryBytes)};
    const rlimit cpu{rlim_t(m_limits.cpuSeconds), rlim_t(m_limits.cpuSeconds) + 5};
    const rlimit noCore{0, 0};
    const rlimit files{32, 32};
    const pid_t parent = ::getpid();

    const pid_t pid = ::fork();
    if (pid == 0) {
        int s = sv[1];
        if (s <= STDERR_FILENO)
            s = ::fcntl(s, F_DUPFD, STDERR_FILENO + 1);
        ::dup2(s, STDIN_FILENO);
        ::dup2(s, STDOUT_FILENO);
        ::close_range(STDERR_FILENO + 1, ~0U, 0); // listening sockets, clients, the database
        if (limitMemory)
            ::setrlimit(RLIMIT_AS, &memory);
        ::setrlimit(RLIMIT_CPU, &cpu);
        ::setrlimit(RLIMIT_CORE, &noCore);
        ::setrlimit(RLIMIT_NOFILE, &files);
        ::setpriority(PRIO_PROCESS, 0, 10);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(ExitNotStarted);
        if (::chdir("/") != 0)
            ::_exit(ExitNotStarted);
        ::execve(argv[0], argv, envp.data());
        ::_exit(ExitNotStarted);
    }
    const int forkErrno = errno;
    ::close(sv[1]);
    if (pid < 0) {
        ::close(sv[0]);
        throw processError(500, QStringLiteral("%1 cannot run: its process did not start (%2)")
                                    .arg(name, QString::fromLocal8Bit(::strerror(forkErrno))));
    }
    ::fcntl(sv[0], F_SETFL, ::fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    auto h = std::make_unique<Helper>();
    h->pid = pid;
    h->fd = sv[0];
    qCDebug(lcJs) << "started" << m_program << "pid" << pid;
    return h;
}

void JsSandbox::release(std::unique_ptr<Helper> h)
{
    std::unique_lock lock(m_mutex);
    m_busy.erase(h.get());
    if (!m_closed && !h->retire) {
        m_idle.push_back(std::move(h));
        m_cv.notify_one();
        return;
    }
    --m_live;
    m_cv.notify_one();
    lock.unlock();
    stopProcess(h->fd, h->pid);
}

QByteArray JsSandbox::exchange(Helper &h, const QByteArray &line, const QString &name,
                               const QString &doing)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(m_limits.timeoutMs);
    // Waits until the socket is ready for `events`, or fails the exchange.
    const auto await = [&](short events) {
        for (;;) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                    .count();
            if (left <= 0)
                fail(h, Failure::Timeout, name, doing);
            pollfd p{h.fd, events, 0};
            const int r = ::poll(&p, 1, int(left));
            if (r > 0)
                return;
            if (r < 0 && errno != EINTR)
                fail(h, Failure::Died, name, doing);
        }
    };
    qsizetype sent = 0;
    while (sent < line.size()) {
        const ssize_t n =
            ::send(h.fd, line.constData() + sent, size_t(line.size() - sent), MSG_NOSIGNAL);
        if (n > 0)
            sent += n;
        else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            await(POLLOUT);
        else if (n < 0 && errno == EINTR)
            continue;
        else
            fail(h, Failure::Died, name, doing);
    }
    QByteArray answer;
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::recv(h.fd, chunk, sizeof chunk, 0);
        if (n > 0) {
            const qsizetype from = answer.size();
            answer.append(chunk, n);
            const qsizetype newline = answer.indexOf('\n', from);
            if (newline == answer.size() - 1) {
                answer.chop(1);
                return answer;
            }
            if (newline >= 0 || answer.size() > MaxAnswerBytes)
                fail(h, Failure::Garbled, name, doing);
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            await(POLLIN);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            fail(h, Failure::Died, name, doing); // end of file: it is gone
        }
    }
}

void JsSandbox::fail(Helper &h, Failure failure, const QString &name, const QString &doing)
{
    bool closing;
    {
        std::lock_guard lock(m_mutex);
        m_busy.erase(&h);
        --m_live;
        closing = m_closed;
        m_cv.notify_one();
    }
    ::close(h.fd);
    h.fd = -1;
    h.dead = true;
    int status = 0;
    if (failure == Failure::Died) {
        // Let it finish dying, so what stopped it shows in its status.
        bool reaped = false;
        for (int i = 0; i < 40 && !reaped; ++i) {
            reaped = ::waitpid(h.pid, &status, WNOHANG) == h.pid;
            if (!reaped)
                ::usleep(5000);
        }
        if (!reaped) {
            ::kill(h.pid, SIGKILL);
            while (::waitpid(h.pid, &status, 0) < 0 && errno == EINTR) {
            }
        }
    } else {
        ::kill(h.pid, SIGKILL);
        while (::waitpid(h.pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    if (closing)
        throw processError(
            503, QStringLiteral("%1 was stopped %2: the server is stopping").arg(name, doing));
    const qint64 mib = m_limits.memoryBytes >> 20;
    QString why;
    if (failure == Failure::Timeout)
        why = QStringLiteral("ran longer than %1 ms %2 and was stopped")
                  .arg(m_limits.timeoutMs)
                  .arg(doing);
    else if (failure == Failure::Garbled)
        why =
            QStringLiteral("was stopped %1: its process answered outside the protocol").arg(doing);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == ExitOutOfMemory)
        why = QStringLiteral("was stopped %1: it ran out of memory (limit %2 MiB)")
                  .arg(doing)
                  .arg(mib);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == ExitNotStarted)
        why = QStringLiteral("cannot run: the JavaScript helper %1 did not start").arg(m_program);
    else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        why = QStringLiteral("was stopped %1: its process used up its CPU time (limit %2 s)")
                  .arg(doing)
                  .arg(m_limits.cpuSeconds);
    else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL && mib > 0)
        // The JavaScript heap failing to grow at RLIMIT_AS ends in SIGSEGV or SIGABRT.
        why = QStringLiteral("was stopped %1: its process crashed (signal %2), as it does when it "
                             "runs out of memory (limit %3 MiB)")
                  .arg(doing)
                  .arg(WTERMSIG(status))
                  .arg(mib);
    else if (WIFSIGNALED(status))
        why = QStringLiteral("was stopped %1: its process was killed (signal %2)")
                  .arg(doing)
                  .arg(WTERMSIG(status));
    else
        why = QStringLiteral("was stopped %1: its process exited (status %2)")
                  .arg(doing)
                  .arg(WEXITSTATUS(status));
    const QString reason = name + u' ' + why;
    qCWarning(lcJs).noquote() << reason;
    throw processError(500, reason);
}

JsFunction::JsFunction(JsSandbox &sandbox, std::unique_ptr<JsSandbox::Helper> helper,
                       JsSandbox::Kind kind, QString name)
    : m_sandbox(sandbox)
    , m_helper(std::move(helper))
    , m_kind(kind)
    , m_name(std::move(name))
{}

JsFunction::~JsFunction()
{
    if (!m_helper->dead)
        m_sandbox.release(std::move(m_helper));
}

QList<bool> JsFunction::run(const QList<QByteArray> &docs, const QByteArray &req)
{
    if (docs.isEmpty())
        return {};
    if (m_helper->dead) // an earlier call failed
        throw processError(500, QStringLiteral("%1 was stopped").arg(m_name));
    qsizetype size = 32 + req.size();
    for (const QByteArray &d : docs)
        size += d.size() + 1;
    QByteArray line;
    line.reserve(size);
    line += m_kind == JsSandbox::Kind::Map ? "[\"map\",[" : "[\"filter\",[";
    for (qsizetype i = 0; i < docs.size(); ++i) {
        if (i)
            line += ',';
        line += docs[i];
    }
    line += ']';
    if (m_kind == JsSandbox::Kind::Filter) {
        line += ',';
        line += req.isEmpty() ? QByteArrayView("{}") : QByteArrayView(req);
    }
    line += ']';
    // Stored JSON may keep its line breaks; outside strings they are only whitespace.
    line.replace('\n', ' ');
    line += '\n';
    const QString doing = QStringLiteral("on a batch of %1 documents").arg(docs.size());
    const QJsonObject answer =
        QJsonDocument::fromJson(m_sandbox.exchange(*m_helper, line, m_name, doing)).object();
    m_helper->retire = answer.value(QStringLiteral("retire")).toBool();
    if (answer.contains(QStringLiteral("error"))) {
        // CouchDB's names: "error" for a thrown Error object, "unnamed_error" for anything else.
        const bool unnamed = answer.value(QStringLiteral("error")).toString() == u"unnamed_error";
        throw CouchError(500, unnamed ? QStringLiteral("unnamed_error") : QStringLiteral("error"),
                         QStringLiteral("%1 threw on document %2: %3")
                             .arg(m_name, answer.value(QStringLiteral("id")).toString(),
                                  answer.value(QStringLiteral("reason")).toString()));
    }
    const QJsonArray ok = answer.value(QStringLiteral("ok")).toArray();
    if (ok.size() != docs.size())
        m_sandbox.fail(*m_helper, JsSandbox::Failure::Garbled, m_name, doing);
    QList<bool> out;
    out.reserve(ok.size());
    for (const QJsonValue &v : ok)
        out.append(v.toBool());
    return out;
}

} // namespace repl
