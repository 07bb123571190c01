#include "ctl/CtlOptions.h"

#include "client/Tls.h"
#include "ops/ByteSize.h"
#include "ops/RestorePoints.h"

#include <QHash>
#include <QSet>

namespace repl::ctl {

namespace {

const char *const GeneralUsage =
    "Usage: repldeskctl [--server URL|NAME] [--user U] [--password-env VAR | --password-stdin]\n"
    "                   [--database DB] [--json] [--timeout SECONDS]\n"
    "                   [--ca-file FILE] [--pin SHA256] COMMAND\n"
    "\n"
    "Commands:\n"
    "  probe                          what the server is and what it can do\n"
    "  databases                      the databases you may see\n"
    "  inventory                      collections, counts and indexes of --database\n"
    "  logger state|start|stop        the replication logger of --database\n"
    "  applier state [--global] | start [--from TICK] [--global] | stop [--global]\n"
    "  sync --leader URL ... (--preview | --confirm DATABASE)\n"
    "  follow [--from TICK] [--limit N]   the replication log, as it happens\n"
    "  lag [--global]                 a follower's lag behind its leader\n"
    "  metrics                        the server's metrics (Prometheus' text format), read\n"
    "  backup DIR                     --database into a new folder (arangodump's layout, or\n"
    "                                 CouchDB JSON lines)\n"
    "  restore DIR (--preview | --confirm DATABASE)   a backup into --database\n"
    "  restore-points list | restore ID --confirm DATABASE | discard ID\n"
    "                                 what syncs purged in --database, kept (ReplDesk)\n"
    "  restore-points retention [--keep N] [--max-bytes SIZE]\n"
    "                                 how many of them --database keeps\n"
    "\n"
    "--server takes an http(s):// or tcp:// / ssl:// endpoint, or the name of a server in the\n"
    "ReplDesk app's list (its endpoint, user and database; its password from the system\n"
    "keychain, or --password-env / --password-stdin). Default: http://127.0.0.1:8529. A\n"
    "password is never read from the command line.\n"
    "https:// and ssl:// servers must present a certificate the system's CAs (or those in\n"
    "--ca-file FILE, PEM) vouch for, or the one --pin SHA256 names (its SHA-256 fingerprint,\n"
    "as 'openssl x509 -noout -fingerprint -sha256' prints it); with --server NAME the pin the\n"
    "app keeps for that server applies unless --pin is given. A different certificate is\n"
    "refused, naming both fingerprints.\n"
    "--json prints JSON on stdout. Exit status: 0 done, 1 the operation failed (the cause and\n"
    "what to do are on stderr), 2 bad usage, 130 interrupted. 'repldeskctl COMMAND --help' for\n"
    "one command.\n";

const QHash<QString, const char *> &commandUsage()
{
    static const QHash<QString, const char *> usage{
        {QStringLiteral("probe"),
         "Usage: repldeskctl [global options] probe\n"
         "Identifies the server (ReplDesk, ArangoDB up to 3.12.9, ArangoDB 3.12.10+, CouchDB,\n"
         "PouchDB Server) and lists what it can do, and why not where it cannot.\n"},
        {QStringLiteral("databases"), "Usage: repldeskctl [global options] databases\n"
                                      "Lists the databases the user may see.\n"},
        {QStringLiteral("inventory"),
         "Usage: repldeskctl [global options] [--database DB] inventory\n"
         "Lists the database's collections with type, document count and indexes (read inside a\n"
         "replication batch on ArangoDB 3.x, released afterwards).\n"},
        {QStringLiteral("logger"),
         "Usage: repldeskctl [global options] [--database DB] logger state|start|stop\n"
         "state: running, last tick, followers. start/stop: ReplDesk servers only (ArangoDB 3.x\n"
         "logs every change by itself).\n"},
        {QStringLiteral("applier"),
         "Usage: repldeskctl [global options] [--database DB] applier state [--global]\n"
         "       repldeskctl ... applier start [--from TICK] [--global]\n"
         "       repldeskctl ... applier stop [--global]\n"
         "--global: the server-level applier (ArangoDB's global applier, on _system).\n"},
        {QStringLiteral("sync"),
         "Usage: repldeskctl [global options] [--database DB] sync --leader URL\n"
         "         [--leader-user U] [--leader-password-env VAR] [--leader-database DB]\n"
         "         [--collections a,b | --exclude a,b] [--include-system]\n"
         "         (--preview | --confirm DATABASE)\n"
         "A sync PURGES the local collections it copies. --preview reads both inventories and\n"
         "counts and changes nothing anywhere. --confirm runs the sync only when DATABASE is the\n"
         "target database's name.\n"},
        {QStringLiteral("follow"),
         "Usage: repldeskctl [global options] [--database DB] follow [--from TICK] [--limit N]\n"
         "Prints the database's replication log from TICK (default: from now on) until N events\n"
         "(default: until interrupted). Uses logger-follow or /_api/wal/tail, as the server has.\n"
         "--json: one object per event with tick, type, collection, key.\n"},
        {QStringLiteral("lag"),
         "Usage: repldeskctl [global options] [--database DB] lag [--global]\n"
         "The follower's applied tick against the leader's newest tick it has seen.\n"},
        {QStringLiteral("metrics"),
         "Usage: repldeskctl [global options] metrics\n"
         "Reads the server's metrics in Prometheus' text format (/_admin/metrics/v2 on ReplDesk\n"
         "and ArangoDB 3.8+, /_node/_local/_prometheus on CouchDB 3.2+) and prints one line per\n"
         "sample: name, labels, value. --json: {server, families: [{name, type, help, samples:\n"
         "[{name, labels, value}]}]}, with +Inf, -Inf and NaN as strings. A text that is not\n"
         "Prometheus' format fails naming its line.\n"},
        {QStringLiteral("backup"),
         "Usage: repldeskctl [global options] [--database DB] backup DIR\n"
         "Writes database DB into the new folder DIR. ReplDesk and ArangoDB: arangodump's layout\n"
         "(dump.json, <collection>_<md5>.structure.json and .data.json; system collections are\n"
         "left out), read inside one replication batch. CouchDB and pouchdb-server: couchdb.json\n"
         "and one JSON-lines file of every leaf revision with its history and attachments\n"
         "(deleted ones too, _local documents not). DIR must not exist or be empty; the backup\n"
         "is written into .DIR.partial-* beside it and renamed to DIR once complete.\n"
         "Progress goes to stderr; --json prints the summary.\n"},
        {QStringLiteral("restore-points"),
         "Usage: repldeskctl [global options] [--database DB] restore-points list\n"
         "       repldeskctl ... restore-points restore ID --confirm DATABASE\n"
         "       repldeskctl ... restore-points discard ID\n"
         "       repldeskctl ... restore-points retention [--keep N] [--max-bytes SIZE]\n"
         "A sync on a ReplDesk server keeps the collections it purges as a restore point.\n"
         "'restore' puts them back as they were before that sync (not while the database's\n"
         "applier runs; --confirm must be the database's exact name); 'discard' drops one.\n"
         "'retention' prints how many the database keeps; with --keep or --max-bytes (or both)\n"
         "it sets that, and the server applies it at once: the oldest points beyond it are\n"
         "DROPPED.\n"
         "  --keep N           keep the newest N points, 0 to 1000 (default 3; 0 keeps none)\n"
         "  --max-bytes SIZE   and at most SIZE in all, dropping the oldest first; 0 = no limit\n"
         "                     (the default)\n"
         "SIZE is bytes, or a number with a unit: K, M, G, T or KiB, MiB, GiB, TiB are powers\n"
         "of 1024; KB, MB, GB, TB powers of 1000; B is bytes. Letters in any case, a fraction\n"
         "before a unit, rounded to the nearest byte: 1048576, 500M, 2G, 1.5GiB, 750 MB.\n"},
        {QStringLiteral("restore"),
         "Usage: repldeskctl [global options] [--database DB] restore DIR\n"
         "         (--preview | --confirm DATABASE)\n"
         "Restores the backup in DIR into database DB (default: the database the backup was\n"
         "taken of), created when missing. Collections of the backup that exist there (CouchDB:\n"
         "the database itself) are DROPPED and created again; others are left alone.\n"
         "--preview prints what would be dropped and restored and changes nothing. --confirm\n"
         "runs the restore only when DATABASE is the target database's exact name.\n"
         "arangodump backups go to ReplDesk or ArangoDB; CouchDB backups to CouchDB,\n"
         "pouchdb-server or ReplDesk's CouchDB face. Document keys are kept; ArangoDB-kind\n"
         "targets give documents new _rev values, CouchDB ones keep every revision.\n"},
    };
    return usage;
}

// Options each command accepts besides the global ones.
const QHash<QString, QSet<QString>> &commandOptions()
{
    static const QHash<QString, QSet<QString>> allowed{
        {QStringLiteral("probe"), {}},
        {QStringLiteral("databases"), {}},
        {QStringLiteral("inventory"), {}},
        {QStringLiteral("logger"), {}},
        {QStringLiteral("applier"), {QStringLiteral("global"), QStringLiteral("from")}},
        {QStringLiteral("sync"),
         {QStringLiteral("leader"), QStringLiteral("leader-user"),
          QStringLiteral("leader-password-env"), QStringLiteral("leader-database"),
          QStringLiteral("collections"), QStringLiteral("exclude"),
          QStringLiteral("include-system"), QStringLiteral("preview"), QStringLiteral("confirm")}},
        {QStringLiteral("follow"), {QStringLiteral("from"), QStringLiteral("limit")}},
        {QStringLiteral("lag"), {QStringLiteral("global")}},
        {QStringLiteral("metrics"), {}},
        {QStringLiteral("backup"), {}},
        {QStringLiteral("restore"), {QStringLiteral("preview"), QStringLiteral("confirm")}},
        {QStringLiteral("restore-points"),
         {QStringLiteral("confirm"), QStringLiteral("keep"), QStringLiteral("max-bytes")}},
    };
    return allowed;
}

const QSet<QString> &valueOptions()
{
    static const QSet<QString> v{QStringLiteral("server"),
                                 QStringLiteral("user"),
                                 QStringLiteral("password-env"),
                                 QStringLiteral("database"),
                                 QStringLiteral("timeout"),
                                 QStringLiteral("from"),
                                 QStringLiteral("limit"),
                                 QStringLiteral("leader"),
                                 QStringLiteral("leader-user"),
                                 QStringLiteral("leader-password-env"),
                                 QStringLiteral("leader-database"),
                                 QStringLiteral("collections"),
                                 QStringLiteral("exclude"),
                                 QStringLiteral("confirm"),
                                 QStringLiteral("keep"),
                                 QStringLiteral("max-bytes"),
                                 QStringLiteral("ca-file"),
                                 QStringLiteral("pin")};
    return v;
}

const QSet<QString> &globalOptions()
{
    static const QSet<QString> g{QStringLiteral("server"),       QStringLiteral("user"),
                                 QStringLiteral("password-env"), QStringLiteral("password-stdin"),
                                 QStringLiteral("database"),     QStringLiteral("json"),
                                 QStringLiteral("timeout"),      QStringLiteral("help"),
                                 QStringLiteral("ca-file"),      QStringLiteral("pin")};
    return g;
}

QStringList listOf(const QString &value)
{
    QStringList out;
    for (const QString &s : value.split(u',', Qt::SkipEmptyParts))
        out.append(s.trimmed());
    return out;
}

bool isTick(const QString &s)
{
    bool ok = false;
    s.toULongLong(&ok);
    return ok;
}

} // namespace

QString usageText(const QString &command)
{
    const char *text = commandUsage().value(command, nullptr);
    return QString::fromUtf8(text ? text : GeneralUsage);
}

ParseResult parseCtlArguments(const QStringList &args)
{
    ParseResult res;
    CtlOptions &o = res.options;
    QHash<QString, QString> values;
    QSet<QString> flags;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (!a.startsWith(QStringLiteral("--"))) {
            o.command.append(a);
            continue;
        }
        QString name = a.mid(2);
        QString value;
        const qsizetype eq = name.indexOf(u'=');
        const bool inlineValue = eq >= 0;
        if (inlineValue) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        }
        if (name == u"password" || name == u"leader-password") {
            res.error = QStringLiteral("--%1 is not accepted: a password on the command line is "
                                       "readable by every user of this machine; use "
                                       "--%1-env VAR%2")
                            .arg(name, name == u"password" ? QStringLiteral(" or --password-stdin")
                                                           : QString());
            return res;
        }
        if (valueOptions().contains(name)) {
            if (!inlineValue) {
                if (i + 1 >= args.size()) {
                    res.error = QStringLiteral("--%1 needs a value").arg(name);
                    return res;
                }
                value = args[++i];
            }
            values.insert(name, value);
        } else if (globalOptions().contains(name) || name == u"global" ||
                   name == u"include-system" || name == u"preview") {
            if (inlineValue) {
                res.error = QStringLiteral("--%1 takes no value").arg(name);
                return res;
            }
            flags.insert(name);
        } else {
            res.error = QStringLiteral("unknown option --%1").arg(name);
            return res;
        }
    }
    const QString cmd = o.command.value(0);
    if (flags.contains(QStringLiteral("help"))) {
        res.helpText = usageText(cmd);
        return res;
    }
    if (cmd.isEmpty()) {
        res.error = QStringLiteral("no command given");
        return res;
    }
    if (!commandOptions().contains(cmd)) {
        res.error = QStringLiteral("unknown command '%1'").arg(cmd);
        return res;
    }
    const QSet<QString> &allowed = commandOptions().value(cmd);
    for (const QString &name : values.keys() + QList<QString>(flags.begin(), flags.end()))
        if (!globalOptions().contains(name) && !allowed.contains(name)) {
            res.error = QStringLiteral("'%1' takes no --%2").arg(cmd, name);
            return res;
        }

    o.server = values.value(QStringLiteral("server"), o.server);
    o.userGiven = values.contains(QStringLiteral("user"));
    o.user = values.value(QStringLiteral("user"), o.user);
    o.passwordEnv = values.value(QStringLiteral("password-env"));
    o.passwordStdin = flags.contains(QStringLiteral("password-stdin"));
    if (!o.passwordEnv.isEmpty() && o.passwordStdin) {
        res.error = QStringLiteral("use either --password-env or --password-stdin, not both");
        return res;
    }
    o.databaseGiven = values.contains(QStringLiteral("database"));
    o.database = values.value(QStringLiteral("database"), o.database);
    if (o.database.isEmpty()) {
        res.error = QStringLiteral("--database needs a name");
        return res;
    }
    o.json = flags.contains(QStringLiteral("json"));
    if (values.contains(QStringLiteral("timeout"))) {
        bool ok = false;
        o.timeoutSeconds = values.value(QStringLiteral("timeout")).toDouble(&ok);
        if (!ok || o.timeoutSeconds <= 0) {
            res.error = QStringLiteral("--timeout needs a positive number of seconds");
            return res;
        }
    }
    o.caFile = values.value(QStringLiteral("ca-file"));
    if (values.contains(QStringLiteral("ca-file")) && o.caFile.isEmpty()) {
        res.error = QStringLiteral("--ca-file needs a file of PEM certificates");
        return res;
    }
    o.pinGiven = values.contains(QStringLiteral("pin"));
    if (o.pinGiven) {
        o.pinnedSha256 = client::normalizeFingerprint(values.value(QStringLiteral("pin")));
        if (o.pinnedSha256.isEmpty()) {
            res.error = QStringLiteral("--pin needs a SHA-256 fingerprint: 64 hex digits, colons "
                                       "allowed (AB:CD:…), got '%1'")
                            .arg(values.value(QStringLiteral("pin")));
            return res;
        }
    }
    o.global = flags.contains(QStringLiteral("global"));
    o.from = values.value(QStringLiteral("from"));
    if (!o.from.isEmpty() && !isTick(o.from)) {
        res.error = QStringLiteral("--from needs a tick (an unsigned decimal number), got '%1'")
                        .arg(o.from);
        return res;
    }
    if (values.contains(QStringLiteral("limit"))) {
        bool ok = false;
        o.limit = values.value(QStringLiteral("limit")).toLongLong(&ok);
        if (!ok || o.limit <= 0) {
            res.error = QStringLiteral("--limit needs a positive number of events");
            return res;
        }
    }

    // Sub-commands
    static const QHash<QString, QStringList> subs{
        {QStringLiteral("logger"), {"state", "start", "stop"}},
        {QStringLiteral("applier"), {"state", "start", "stop"}}};
    if (subs.contains(cmd)) {
        const QString sub = o.command.value(1);
        if (!subs.value(cmd).contains(sub) || o.command.size() != 2) {
            res.error =
                QStringLiteral("'%1' needs one of: %2").arg(cmd, subs.value(cmd).join(u'|'));
            return res;
        }
        if (cmd == u"applier" && !o.from.isEmpty() && sub != u"start") {
            res.error = QStringLiteral("--from goes with 'applier start' only");
            return res;
        }
    } else if (cmd == u"restore-points") {
        const QString sub = o.command.value(1);
        const bool withId = sub == u"restore" || sub == u"discard";
        const bool alone = (sub == u"list" || sub == u"retention") && o.command.size() == 2;
        if (!alone && !(withId && o.command.size() == 3 && !o.command.value(2).isEmpty())) {
            res.error = QStringLiteral("'restore-points' needs: list | restore ID --confirm "
                                       "DATABASE | discard ID | retention [--keep N] "
                                       "[--max-bytes SIZE]");
            return res;
        }
        const bool keepGiven = values.contains(QStringLiteral("keep"));
        const bool maxGiven = values.contains(QStringLiteral("max-bytes"));
        if ((keepGiven || maxGiven) && sub != u"retention") {
            res.error = QStringLiteral("--%1 goes with 'restore-points retention' only")
                            .arg(keepGiven ? QStringLiteral("keep") : QStringLiteral("max-bytes"));
            return res;
        }
        if (keepGiven) {
            bool ok = false;
            const QString v = values.value(QStringLiteral("keep"));
            const int keep = v.trimmed().toInt(&ok);
            if (!ok || keep < 0 || keep > ops::RestorePointRetention::MaxKeep) {
                res.error = QStringLiteral("--keep needs a whole number from 0 to %1 (how many of "
                                           "the newest restore points to keep), got '%2'")
                                .arg(ops::RestorePointRetention::MaxKeep)
                                .arg(v);
                return res;
            }
            o.keep = keep;
        }
        if (maxGiven) {
            const QString v = values.value(QStringLiteral("max-bytes"));
            o.maxBytes = ops::parseByteSize(v);
            if (!o.maxBytes) {
                res.error =
                    QStringLiteral("--max-bytes needs a size from 0 (no limit) to %1 bytes: "
                                   "bytes, or a number with K, M, G, T (powers of 1024; also KiB, "
                                   "MiB, GiB, TiB) or KB, MB, GB, TB (powers of 1000), e.g. 500M, "
                                   "2G or 1.5GiB; got '%2'")
                        .arg(ops::MaxByteSize)
                        .arg(v);
                return res;
            }
        }
        o.pointId = o.command.value(2);
        if (values.contains(QStringLiteral("confirm")))
            o.confirm = values.value(QStringLiteral("confirm"));
        if (sub == u"restore" && !o.confirm) {
            res.error = QStringLiteral("'restore-points restore' needs --confirm DATABASE (the "
                                       "restore replaces collections)");
            return res;
        }
    } else if (cmd == u"backup" || cmd == u"restore") {
        if (o.command.size() != 2 || o.command.value(1).isEmpty()) {
            res.error = QStringLiteral("'%1' needs one folder: repldeskctl %1 DIR").arg(cmd);
            return res;
        }
        o.folder = o.command.value(1);
    } else if (o.command.size() != 1) {
        res.error = QStringLiteral("'%1' takes no argument '%2'").arg(cmd, o.command.value(1));
        return res;
    }

    if (cmd == u"sync") {
        o.leader = values.value(QStringLiteral("leader"));
        if (o.leader.isEmpty()) {
            res.error = QStringLiteral("sync needs --leader URL (the server to copy from)");
            return res;
        }
        o.leaderUser = values.value(QStringLiteral("leader-user"), o.leaderUser);
        o.leaderPasswordEnv = values.value(QStringLiteral("leader-password-env"));
        o.leaderDatabase = values.value(QStringLiteral("leader-database"));
        o.collections = listOf(values.value(QStringLiteral("collections")));
        o.exclude = listOf(values.value(QStringLiteral("exclude")));
        if (!o.collections.isEmpty() && !o.exclude.isEmpty()) {
            res.error = QStringLiteral("use either --collections or --exclude, not both");
            return res;
        }
        if ((values.contains(QStringLiteral("collections")) && o.collections.isEmpty()) ||
            (values.contains(QStringLiteral("exclude")) && o.exclude.isEmpty())) {
            res.error = QStringLiteral("--collections/--exclude need at least one name");
            return res;
        }
        o.includeSystem = flags.contains(QStringLiteral("include-system"));
        o.preview = flags.contains(QStringLiteral("preview"));
        if (values.contains(QStringLiteral("confirm")))
            o.confirm = values.value(QStringLiteral("confirm"));
        if (o.preview == o.confirm.has_value()) {
            res.error = QStringLiteral("sync needs exactly one of --preview (changes nothing) or "
                                       "--confirm DATABASE (purges and copies)");
            return res;
        }
    }
    if (cmd == u"restore") {
        o.preview = flags.contains(QStringLiteral("preview"));
        if (values.contains(QStringLiteral("confirm")))
            o.confirm = values.value(QStringLiteral("confirm"));
        if (o.preview == o.confirm.has_value()) {
            res.error = QStringLiteral("restore needs exactly one of --preview (changes nothing) "
                                       "or --confirm DATABASE (drops and restores)");
            return res;
        }
    }
    return res;
}

} // namespace repl::ctl
