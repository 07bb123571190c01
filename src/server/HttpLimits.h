#pragma once

#include <QtGlobal>

namespace repl::server {

// What one client may cost the HTTP server; repldesk-server's --max-…/--…-timeout flags set
// them (app/HttpLimitOptions), the README has the table. The defaults hold for a server that a
// few replication peers, the app and scripts talk to, with the packaged unit's LimitNOFILE.
struct HttpLimits
{
    // Open connections in all, and from one client address (IPv6: one /64). Over either cap a
    // new connection gets 503 and is closed, except that at the total cap the longest idle
    // connection is closed to make room. The total is also kept below the process's soft fd
    // limit (RLIMIT_NOFILE), with room left for SQLite and outgoing replication.
    int maxConnections = 4096;
    int maxConnectionsPerAddress = 256;
    // From a connection's start, or a request's first byte, to the end of its head.
    int headerTimeoutMs = 10'000;
    // A connection with no request being answered and nothing arriving, and a body that stops
    // arriving, is closed after this. Long-polls and continuous feeds are requests being
    // answered: never idle.
    int idleTimeoutMs = 60'000;
    // Request line and header fields together, and the number of fields. QtHttpServer 6.4
    // drops every field of a head past 100 fields or 256 KiB, which would hide a
    // Content-Length: the flags refuse larger values.
    int maxHeaderBytes = 64 * 1024;
    int maxHeaderCount = 100;
    // A request body (Content-Length, or the decoded size of a chunked body).
    qint64 maxBodyBytes = qint64(512) * 1024 * 1024;
    // Request bodies held at once, over all connections: from a head that announces one (its
    // Content-Length, or a chunked body's bytes as they come) until its answer is sent. A
    // body that would go over gets 503 with Retry-After before it is read; one body alone is
    // always let in.
    qint64 maxBodyMemory = qint64(1024) * 1024 * 1024;
    // Failed logins per client address: this many are answered at once; after that each
    // further one makes the address wait (429 with Retry-After) 1 s, 2 s, 4 s, … up to
    // loginMaxDelayMs before its next password is checked.
    int loginFreeFailures = 10;
    int loginMaxDelayMs = 60'000;

    static constexpr int QtMaxHeaderCount = 100;
    static constexpr int QtMaxHeaderBytes = 256 * 1024;
};

} // namespace repl::server
