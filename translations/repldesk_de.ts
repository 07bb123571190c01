<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ApplierConfigDialog</name>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="6"/>
        <source>Applier configuration</source>
        <translation>Applier-Konfiguration</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="8"/>
        <source>Where this server follows its leader from, and how. Changes take effect at the next start; the applier must be stopped to save.</source>
        <translation>Von wo und wie dieser Server seinem Leader folgt. Änderungen werden beim nächsten Start wirksam; zum Speichern muss der Applier gestoppt sein.</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="14"/>
        <source>&amp;Leader endpoint:</source>
        <translation>&amp;Leader-Endpoint:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="16"/>
        <source>Leader &amp;database:</source>
        <translation>Leader-&amp;Datenbank:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="17"/>
        <source>this database&apos;s name</source>
        <translation>Name dieser Datenbank</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="18"/>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="20"/>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="21"/>
        <source>unchanged (never shown)</source>
        <translation>unverändert (wird nie angezeigt)</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="22"/>
        <source>Request timeout:</source>
        <translation>Anfrage-Timeout:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="23"/>
        <location filename="../ui/ApplierConfigDialog.ui" line="25"/>
        <location filename="../ui/ApplierConfigDialog.ui" line="29"/>
        <location filename="../ui/ApplierConfigDialog.ui" line="31"/>
        <location filename="../ui/ApplierConfigDialog.ui" line="33"/>
        <location filename="../ui/ApplierConfigDialog.ui" line="43"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="24"/>
        <source>Connect timeout:</source>
        <translation>Verbindungs-Timeout:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="26"/>
        <source>Max. connect retries:</source>
        <translation>Max. Verbindungswiederholungen:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="28"/>
        <source>Wait before reconnect:</source>
        <translation>Wartezeit vor erneutem Verbinden:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="30"/>
        <source>Idle wait, minimum:</source>
        <translation>Wartezeit im Leerlauf, Minimum:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="32"/>
        <source>Idle wait, maximum:</source>
        <translation>Wartezeit im Leerlauf, Maximum:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="34"/>
        <source>Chunk size:</source>
        <translation>Chunk-Größe:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="35"/>
        <source> bytes</source>
        <translation> Bytes</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="35"/>
        <source>server default</source>
        <translation>Server-Standard</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="36"/>
        <source>Errors to ignore:</source>
        <translation>Zu ignorierende Fehler:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="38"/>
        <source>SSL protocol:</source>
        <translation>SSL-Protokoll:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="40"/>
        <source>Auto-resync retries:</source>
        <translation>Auto-Resync-Wiederholungen:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="42"/>
        <source>Initial sync max. wait:</source>
        <translation>Max. Wartezeit für initialen Sync:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="44"/>
        <source>Collections:</source>
        <translation>Collections:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="46"/>
        <source>Restricted to:</source>
        <translation>Beschränkt auf:</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="47"/>
        <source>names, separated by commas</source>
        <translation>Namen, durch Kommas getrennt</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="48"/>
        <source>Start with the server (autoStart)</source>
        <translation>Mit dem Server starten (autoStart)</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="49"/>
        <source>Back off when idle (adaptivePolling)</source>
        <translation>Im Leerlauf seltener abfragen (adaptivePolling)</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="50"/>
        <source>Resync when the leader lost our tick (autoResync)</source>
        <translation>Neu synchronisieren, wenn der Leader unseren Tick nicht mehr hat (autoResync)</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="51"/>
        <source>Stop when the leader lost our tick (requireFromPresent)</source>
        <translation>Anhalten, wenn der Leader unseren Tick nicht mehr hat (requireFromPresent)</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="52"/>
        <source>Include system collections</source>
        <translation>System-Collections einbeziehen</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="53"/>
        <source>Log every operation (verbose)</source>
        <translation>Jede Operation protokollieren (verbose)</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="54"/>
        <source>Incremental initial sync (incremental)</source>
        <translation>Inkrementeller initialer Sync (incremental)</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="63"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location filename="../ui/ApplierConfigDialog.ui" line="64"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
</context>
<context>
    <name>LagMonitor</name>
    <message>
        <location filename="../ui/LagMonitor.ui" line="8"/>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="9"/>
        <source>Leader tick:</source>
        <translation>Leader-Tick:</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="10"/>
        <location filename="../ui/LagMonitor.ui" line="12"/>
        <location filename="../ui/LagMonitor.ui" line="14"/>
        <location filename="../ui/LagMonitor.ui" line="15"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="11"/>
        <source>Applied:</source>
        <translation>Angewendet:</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="13"/>
        <source>Lag:</source>
        <translation>Rückstand:</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="33"/>
        <source>Warning after</source>
        <translation>Warnung nach</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="34"/>
        <location filename="../ui/LagMonitor.ui" line="36"/>
        <location filename="../ui/LagMonitor.ui" line="38"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="35"/>
        <source>critical after</source>
        <translation>kritisch nach</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="37"/>
        <source>Refresh every</source>
        <translation>Aktualisieren alle</translation>
    </message>
    <message>
        <location filename="../ui/LagMonitor.ui" line="40"/>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
</context>
<context>
    <name>LiveLog</name>
    <message>
        <location filename="../ui/LiveLog.ui" line="8"/>
        <source>The CouchDB database whose changes feed is followed</source>
        <translation>Die CouchDB-Datenbank, deren Änderungs-Feed verfolgt wird</translation>
    </message>
    <message>
        <location filename="../ui/LiveLog.ui" line="9"/>
        <source>Filter by collection</source>
        <translation>Nach Collection filtern</translation>
    </message>
    <message>
        <location filename="../ui/LiveLog.ui" line="11"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <location filename="../ui/LiveLog.ui" line="12"/>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
    <message>
        <location filename="../ui/LiveLog.ui" line="14"/>
        <source>—</source>
        <translation>—</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.ui" line="6"/>
        <source>ReplDesk</source>
        <translation>ReplDesk</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="24"/>
        <source>&lt;b&gt;Servers&lt;/b&gt;</source>
        <translation>&lt;b&gt;Server&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="37"/>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="39"/>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="40"/>
        <location filename="../ui/MainWindow.ui" line="42"/>
        <location filename="../ui/MainWindow.ui" line="44"/>
        <location filename="../ui/MainWindow.ui" line="46"/>
        <location filename="../ui/MainWindow.ui" line="80"/>
        <location filename="../ui/MainWindow.ui" line="82"/>
        <location filename="../ui/MainWindow.ui" line="84"/>
        <location filename="../ui/MainWindow.ui" line="86"/>
        <location filename="../ui/MainWindow.ui" line="120"/>
        <location filename="../ui/MainWindow.ui" line="122"/>
        <location filename="../ui/MainWindow.ui" line="124"/>
        <location filename="../ui/MainWindow.ui" line="126"/>
        <location filename="../ui/MainWindow.ui" line="128"/>
        <location filename="../ui/MainWindow.ui" line="130"/>
        <location filename="../ui/MainWindow.ui" line="134"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="41"/>
        <source>Endpoint:</source>
        <translation>Endpoint:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="43"/>
        <source>Connection:</source>
        <translation>Verbindung:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="45"/>
        <source>Server ID:</source>
        <translation>Server-ID:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="50"/>
        <source>Inventory</source>
        <translation>Inventar</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="61"/>
        <source>Select a collection or an index to see its definition.</source>
        <translation>Wählen Sie eine Collection oder einen Index aus, um die Definition anzuzeigen.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="68"/>
        <source>Logger</source>
        <translation>Logger</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="74"/>
        <source>This server manages its replication log by itself (ArangoDB 3.x): it cannot be started or stopped from here.</source>
        <translation>Dieser Server verwaltet sein Replikationslog selbst (ArangoDB 3.x): Der Logger kann hier nicht gestartet oder gestoppt werden.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="79"/>
        <source>Running:</source>
        <translation>Läuft:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="81"/>
        <source>Last log tick:</source>
        <translation>Letzter Log-Tick:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="83"/>
        <source>Events since start:</source>
        <translation>Ereignisse seit Start:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="85"/>
        <source>Followers:</source>
        <translation>Follower:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="91"/>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="94"/>
        <source>Start with the server (autoStart)</source>
        <translation>Mit dem Server starten (autoStart)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="95"/>
        <source>Also log changes that arrive through the applier (logRemoteChanges)</source>
        <translation>Auch Änderungen protokollieren, die über den Applier eintreffen (logRemoteChanges)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="96"/>
        <source>Keep at most:</source>
        <translation>Höchstens behalten:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="97"/>
        <source> events</source>
        <translation> Ereignisse</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="97"/>
        <location filename="../ui/MainWindow.ui" line="99"/>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="98"/>
        <source>and at most:</source>
        <translation>und höchstens:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="99"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="100"/>
        <source>Save configuration</source>
        <translation>Konfiguration speichern</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="106"/>
        <source>Start logger</source>
        <translation>Logger starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="107"/>
        <source>Stop logger</source>
        <translation>Logger stoppen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="115"/>
        <source>Applier</source>
        <translation>Applier</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="119"/>
        <source>Phase:</source>
        <translation>Phase:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="121"/>
        <source>Leader:</source>
        <translation>Leader:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="123"/>
        <source>Applied / leader tick:</source>
        <translation>Angewendet / Leader-Tick:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="125"/>
        <source>Ticks behind:</source>
        <translation>Ticks im Rückstand:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="127"/>
        <source>Progress:</source>
        <translation>Fortschritt:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="129"/>
        <source>Totals:</source>
        <translation>Summen:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="131"/>
        <source>Last error:</source>
        <translation>Letzter Fehler:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="132"/>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="133"/>
        <source>What to do:</source>
        <translation>Abhilfe:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="139"/>
        <source>From tick:</source>
        <translation>Ab Tick:</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="140"/>
        <source>saved state</source>
        <translation>gespeicherter Zustand</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="141"/>
        <source>Start applier</source>
        <translation>Applier starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="142"/>
        <source>Stop applier</source>
        <translation>Applier stoppen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="156"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="160"/>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="167"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="167"/>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="168"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="168"/>
        <source>F5</source>
        <translation>F5</translation>
    </message>
</context>
<context>
    <name>ReplicateDialog</name>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="6"/>
        <source>New replication</source>
        <translation>Neue Replikation</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="11"/>
        <source>&amp;Source:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="13"/>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="15"/>
        <source>C&amp;reate the target if it does not exist</source>
        <translation>Ziel ans&amp;legen, falls es fehlt</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="8"/>
        <source>Copies documents with their whole revision history (conflicts and deletions included) from a source to a target database, the CouchDB way: as a document in this server&apos;s _replicator database (persistent), or by POST /_replicate (transient, gone when the server restarts). A database name means a database of this server; anything else is a URL such as http://host:5984/db. Passwords of listed servers come from the keychain.</source>
        <translation>Kopiert Dokumente mit ihrer ganzen Revisionsgeschichte (Konflikte und Löschungen eingeschlossen) von einer Quell- in eine Zieldatenbank, wie CouchDB es tut: als Dokument in der _replicator-Datenbank dieses Servers (dauerhaft) oder per POST /_replicate (vorübergehend, bei einem Neustart des Servers weg). Ein Datenbankname meint eine Datenbank dieses Servers; alles andere ist eine URL wie http://host:5984/db. Passwörter gelisteter Server kommen aus dem Schlüsselbund.</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="16"/>
        <source>C&amp;ontinuous: keep following the source until cancelled</source>
        <translation>F&amp;ortlaufend: der Quelle folgen, bis abgebrochen wird</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="17"/>
        <source>&amp;Persistent: a document in _replicator (survives restarts; deleting it cancels)</source>
        <translation>&amp;Dauerhaft: ein Dokument in _replicator (übersteht Neustarts; Löschen bricht ab)</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="18"/>
        <source>&amp;Document id:</source>
        <translation>&amp;Dokument-ID:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="19"/>
        <source>optional: a name for the _replicator document (else a generated one)</source>
        <translation>optional: ein Name für das _replicator-Dokument (sonst ein erzeugter)</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="24"/>
        <source>Which documents</source>
        <translation>Welche Dokumente</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="26"/>
        <source>&amp;Replicate:</source>
        <translation>&amp;Replizieren:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="28"/>
        <source>Every document</source>
        <translation>Alle Dokumente</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="29"/>
        <source>Only these document ids</source>
        <translation>Nur diese Dokument-IDs</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="30"/>
        <source>A filter function (ddoc/name, _view, _design)</source>
        <translation>Eine Filterfunktion (ddoc/name, _view, _design)</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="31"/>
        <source>A Mango selector</source>
        <translation>Einen Mango-Selektor</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="33"/>
        <source>Document &amp;ids:</source>
        <translation>Dokument-&amp;IDs:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="34"/>
        <source>id1, id2, …</source>
        <translation>id1, id2, …</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="35"/>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="36"/>
        <source>ddoc/name  (on the source)</source>
        <translation>ddoc/name  (auf der Quelle)</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="37"/>
        <source>&amp;Query parameters:</source>
        <translation>&amp;Abfrageparameter:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="38"/>
        <source>{&quot;type&quot;: &quot;order&quot;}  — the filter sees it as req.query</source>
        <translation>{&quot;type&quot;: &quot;order&quot;}  — der Filter sieht es als req.query</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="39"/>
        <source>S&amp;elector:</source>
        <translation>S&amp;elektor:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="40"/>
        <source>{&quot;type&quot;: {&quot;$eq&quot;: &quot;order&quot;}}</source>
        <translation>{&quot;type&quot;: {&quot;$eq&quot;: &quot;order&quot;}}</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="46"/>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="48"/>
        <source>Start after se&amp;q:</source>
        <translation>Beginnen nach Se&amp;q:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="49"/>
        <source>only when no checkpoint is found</source>
        <translation>nur wenn kein Checkpoint gefunden wird</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="50"/>
        <source>Use &amp;checkpoints (resume where the last run ended)</source>
        <translation>&amp;Checkpoints verwenden (dort weitermachen, wo der letzte Lauf endete)</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="51"/>
        <source>Checkpoint e&amp;very:</source>
        <translation>Checkpoint a&amp;lle:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="52"/>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="53"/>
        <source>&amp;Batch size:</source>
        <translation>&amp;Stapelgröße:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="54"/>
        <source> changes</source>
        <translation> Änderungen</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="55"/>
        <source>&amp;Proxy:</source>
        <translation>&amp;Proxy:</translation>
    </message>
    <message>
        <location filename="../ui/ReplicateDialog.ui" line="56"/>
        <source>http://proxy:3128 or socks5://proxy:1080 (optional)</source>
        <translation>http://proxy:3128 oder socks5://proxy:1080 (optional)</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../ui/ServerDialog.ui" line="6"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="10"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="11"/>
        <source>e.g. Production leader</source>
        <translation>z. B. Produktions-Leader</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="12"/>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpoint:</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="13"/>
        <source>http://host:8529 (tcp://, ssl://, https:// also work)</source>
        <translation>http://host:8529 (tcp://, ssl://, https:// gehen auch)</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="14"/>
        <source>&amp;Database:</source>
        <translation>&amp;Datenbank:</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="15"/>
        <source>_system</source>
        <translation>_system</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="16"/>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="17"/>
        <source>root</source>
        <translation>root</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="17"/>
        <source>empty for a server without authentication</source>
        <translation>leer für einen Server ohne Anmeldung</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="18"/>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="19"/>
        <source>kept in the system keychain</source>
        <translation>wird im System-Schlüsselbund gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="26"/>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="28"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location filename="../ui/ServerDialog.ui" line="29"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
</context>
<context>
    <name>SyncDialog</name>
    <message>
        <location filename="../ui/SyncDialog.ui" line="6"/>
        <source>Sync from a leader</source>
        <translation>Von einem Leader synchronisieren</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="11"/>
        <source>A sync copies every collection of the leader into this server. Collections that exist on both are &lt;b&gt;dropped here first&lt;/b&gt;; their local documents are purged. Collections that exist only here stay.</source>
        <translation>Ein Sync kopiert alle Collections des Leaders auf diesen Server. Collections, die auf beiden Servern existieren, werden &lt;b&gt;hier zuerst gelöscht&lt;/b&gt;; ihre lokalen Dokumente werden entfernt. Collections, die nur hier existieren, bleiben erhalten.</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="16"/>
        <source>Target (this follower):</source>
        <translation>Ziel (dieser Follower):</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="17"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="18"/>
        <source>&amp;Leader:</source>
        <translation>&amp;Leader:</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="20"/>
        <source>&amp;Collections:</source>
        <translation>&amp;Collections:</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="24"/>
        <source>names, separated by commas</source>
        <translation>Namen, durch Kommas getrennt</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="27"/>
        <source>Include system collections</source>
        <translation>System-Collections einbeziehen</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="33"/>
        <source>color: #b26a00;</source>
        <translation>color: #b26a00;</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="34"/>
        <source>The applier of this server is running. It must be stopped before a sync.</source>
        <translation>Der Applier dieses Servers läuft. Er muss vor einem Sync gestoppt werden.</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="39"/>
        <source>Stop the applier</source>
        <translation>Applier stoppen</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="40"/>
        <source>&amp;Preview (dry run)</source>
        <translation>&amp;Vorschau (Dry Run)</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="51"/>
        <source>Run the preview to see what will be purged and copied.</source>
        <translation>Führen Sie die Vorschau aus, um zu sehen, was entfernt und kopiert wird.</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="54"/>
        <source>Type the database name to confirm:</source>
        <translation>Geben Sie zur Bestätigung den Datenbanknamen ein:</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="60"/>
        <source>&amp;Back up this database first, into:</source>
        <translation>Diese Datenbank zuerst &amp;sichern, nach:</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="66"/>
        <source>color: #c62828;</source>
        <translation>color: #c62828;</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="69"/>
        <source>Start applier from this tick</source>
        <translation>Applier ab diesem Tick starten</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="71"/>
        <source>&amp;Sync now</source>
        <translation>Jetzt &amp;synchronisieren</translation>
    </message>
    <message>
        <location filename="../ui/SyncDialog.ui" line="72"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/app/main.cpp" line="63"/>
        <source>Manage replicated document databases.</source>
        <translation>Replizierte Dokumentdatenbanken verwalten.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="68"/>
        <source>Data directory of the embedded engine.</source>
        <translation>Datenverzeichnis der eingebetteten Engine.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="72"/>
        <source>Loopback address of the embedded engine (default: a free port).</source>
        <translation>Loopback-Adresse der eingebetteten Engine (Standard: ein freier Port).</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="77"/>
        <source>Also start a demo follower with a gentle write load.</source>
        <translation>Zusätzlich einen Demo-Follower mit leichter Schreiblast starten.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="81"/>
        <source>Save a screenshot of the window and quit.</source>
        <translation>Einen Screenshot des Fensters speichern und beenden.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="84"/>
        <source>Tab to show in the screenshot.</source>
        <translation>Tab, der im Screenshot gezeigt wird.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="88"/>
        <source>Milliseconds before the screenshot.</source>
        <translation>Millisekunden bis zum Screenshot.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="92"/>
        <source>Server to select for the screenshot (embedded, demo-follower).</source>
        <translation>Server, der für den Screenshot ausgewählt wird (embedded, demo-follower).</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="106"/>
        <source>--embedded-listen expects HOST:PORT, got &quot;%1&quot;.</source>
        <translation>--embedded-listen erwartet HOST:PORT, erhalten: &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="129"/>
        <source>The engine on this computer could not start:
%1</source>
        <translation>Die Engine auf diesem Computer konnte nicht starten:
%1</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="206"/>
        <source>The system keychain did not answer: this session uses its own password for the engine on this computer.</source>
        <translation>Der System-Schlüsselbund hat nicht geantwortet: Diese Sitzung verwendet ein eigenes Passwort für die Engine auf diesem Computer.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="217"/>
        <source>No system keychain: the engine on this computer uses a password for this session only.</source>
        <translation>Kein System-Schlüsselbund: Die Engine auf diesem Computer verwendet ein Passwort nur für diese Sitzung.</translation>
    </message>
</context>
<context>
    <name>repl::gui::ApplierConfigDialog</name>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="21"/>
        <source>Applier of %1</source>
        <translation>Applier von %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="25"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="26"/>
        <source>only these</source>
        <translation>nur diese</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="27"/>
        <source>all except these</source>
        <translation>alle außer diesen</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="37"/>
        <source>from the keychain</source>
        <translation>aus dem System-Schlüsselbund</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="54"/>
        <source>Loading the configuration…</source>
        <translation>Konfiguration wird geladen…</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="60"/>
        <source>Cannot read the configuration: %1</source>
        <translation>Die Konfiguration kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="145"/>
        <source>The leader endpoint must look like http://host:port (tcp://, ssl://, https:// also work).</source>
        <translation>Der Leader-Endpoint muss die Form http://host:port haben (tcp://, ssl://, https:// gehen auch).</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="148"/>
        <source>The maximum idle wait must not be below the minimum.</source>
        <translation>Die maximale Wartezeit im Leerlauf darf nicht unter der minimalen liegen.</translation>
    </message>
    <message>
        <location filename="../src/gui/ApplierConfigDialog.cpp" line="151"/>
        <source>Name the collections, or choose &quot;all&quot;.</source>
        <translation>Nennen Sie die Collections oder wählen Sie „alle“.</translation>
    </message>
</context>
<context>
    <name>repl::gui::AuditLog</name>
    <message>
        <location filename="../src/gui/AuditLog.cpp" line="46"/>
        <source>When</source>
        <translation>Zeitpunkt</translation>
    </message>
    <message>
        <location filename="../src/gui/AuditLog.cpp" line="48"/>
        <source>Who</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location filename="../src/gui/AuditLog.cpp" line="50"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../src/gui/AuditLog.cpp" line="52"/>
        <source>What</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location filename="../src/gui/AuditLog.cpp" line="54"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>repl::gui::BackupDialog</name>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="32"/>
        <source>&amp;Back up</source>
        <translation>&amp;Sichern</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="32"/>
        <source>&amp;Restore</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="33"/>
        <source>Ca&amp;ncel transfer</source>
        <translation>Übertragung a&amp;bbrechen</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="34"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="38"/>
        <source>Back up database</source>
        <translation>Datenbank sichern</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="38"/>
        <source>Restore database</source>
        <translation>Datenbank wiederherstellen</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="47"/>
        <source>Writes a database of &lt;b&gt;%1&lt;/b&gt; to a new folder: in arangodump&apos;s layout on ArangoDB-kind servers, as every leaf revision with its history and attachments on CouchDB-kind ones. The folder appears only when the backup is complete.</source>
        <translation>Schreibt eine Datenbank von &lt;b&gt;%1&lt;/b&gt; in einen neuen Ordner: auf Servern vom Typ ArangoDB im Layout von arangodump, auf Servern vom Typ CouchDB als alle Blatt-Revisionen mit ihrer Historie und ihren Anhängen. Der Ordner erscheint erst, wenn das Backup vollständig ist.</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="52"/>
        <source>Restores a backup folder into &lt;b&gt;%1&lt;/b&gt;. Collections of the backup that exist there (on CouchDB-kind servers: the database) are dropped and written again; others are kept. Preview first, then confirm with the database&apos;s name.</source>
        <translation>Stellt einen Backup-Ordner in &lt;b&gt;%1&lt;/b&gt; wieder her. Collections des Backups, die dort existieren (auf Servern vom Typ CouchDB: die Datenbank), werden gelöscht und neu geschrieben; andere bleiben erhalten. Sehen Sie sich zuerst die Vorschau an, und bestätigen Sie dann mit dem Namen der Datenbank.</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="59"/>
        <source>a new or empty folder</source>
        <translation>ein neuer oder leerer Ordner</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="60"/>
        <source>a folder written by a ReplDesk backup or arangodump</source>
        <translation>ein von einem ReplDesk-Backup oder arangodump geschriebener Ordner</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="68"/>
        <source>C&amp;hoose…</source>
        <translation>&amp;Auswählen…</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="74"/>
        <source>the database to back up</source>
        <translation>die zu sichernde Datenbank</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="75"/>
        <source>empty: the database the backup was taken of</source>
        <translation>leer: die Datenbank, von der das Backup stammt</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="77"/>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="80"/>
        <source>&amp;Database:</source>
        <translation>&amp;Datenbank:</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="80"/>
        <source>Into &amp;database:</source>
        <translation>In &amp;Datenbank:</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="86"/>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="90"/>
        <source>Collection</source>
        <translation>Collection</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="90"/>
        <source>On the target</source>
        <translation>Auf dem Ziel</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="91"/>
        <source>Documents replaced</source>
        <translation>Dokumente ersetzt</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="91"/>
        <source>Documents restored</source>
        <translation>Dokumente wiederhergestellt</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="130"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="156"/>
        <source>Where to put the backup</source>
        <translation>Speicherort für das Backup</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="162"/>
        <source>Backup folder to restore</source>
        <translation>Wiederherzustellender Backup-Ordner</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="192"/>
        <source>Reading the backup and the target…</source>
        <translation>Backup und Ziel werden gelesen…</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="221"/>
        <source>exists: dropped and written again</source>
        <translation>vorhanden: wird gelöscht und neu geschrieben</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="221"/>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/BackupDialog.cpp" line="238"/>
        <source>Backup of &lt;b&gt;%1&lt;/b&gt; (%2) into &lt;b&gt;%3&lt;/b&gt;%4: %n document(s) replaced, </source>
        <translation>
            <numerusform>Backup von &lt;b&gt;%1&lt;/b&gt; (%2) nach &lt;b&gt;%3&lt;/b&gt;%4: %n Dokument ersetzt, </numerusform>
            <numerusform>Backup von &lt;b&gt;%1&lt;/b&gt; (%2) nach &lt;b&gt;%3&lt;/b&gt;%4: %n Dokumente ersetzt, </numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="242"/>
        <source> (will be created)</source>
        <translation> (wird angelegt)</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/BackupDialog.cpp" line="243"/>
        <source>%n restored.</source>
        <translation>
            <numerusform>%n wiederhergestellt.</numerusform>
            <numerusform>%n wiederhergestellt.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="247"/>
        <source>Kept as they are: %1.</source>
        <translation>Bleiben unverändert: %1.</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="248"/>
        <source>Nothing has been changed yet.</source>
        <translation>Noch wurde nichts geändert.</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="250"/>
        <source>Type the database name &lt;b&gt;%1&lt;/b&gt; to confirm:</source>
        <translation>Geben Sie zur Bestätigung den Datenbanknamen &lt;b&gt;%1&lt;/b&gt; ein:</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="267"/>
        <source>Backing up…</source>
        <translation>Wird gesichert…</translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="267"/>
        <source>Restoring…</source>
        <translation>Wird wiederhergestellt…</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/BackupDialog.cpp" line="298"/>
        <source>%1: %n document(s) so far…</source>
        <translation>
            <numerusform>%1: bisher %n Dokument…</numerusform>
            <numerusform>%1: bisher %n Dokumente…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/BackupDialog.cpp" line="308"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
</context>
<context>
    <name>repl::gui::Demo</name>
    <message>
        <location filename="../src/gui/Demo.cpp" line="42"/>
        <source>Demo follower could not start: %1</source>
        <translation>Demo-Follower konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/Demo.cpp" line="47"/>
        <source>Demo follower</source>
        <translation>Demo-Follower</translation>
    </message>
</context>
<context>
    <name>repl::gui::DemoRunner</name>
    <message>
        <location filename="../src/gui/DemoRunner.cpp" line="47"/>
        <source>Demo: preparing the leader…</source>
        <translation>Demo: Leader wird vorbereitet…</translation>
    </message>
    <message>
        <location filename="../src/gui/DemoRunner.cpp" line="53"/>
        <source>Demo: cannot start the leader&apos;s logger: %1</source>
        <translation>Demo: Logger des Leaders kann nicht gestartet werden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/DemoRunner.cpp" line="89"/>
        <source>Demo: cannot load the sample customers: %1</source>
        <translation>Demo: Die Beispielkunden können nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/DemoRunner.cpp" line="107"/>
        <source>Demo: the follower copies the leader (sync)…</source>
        <translation>Demo: Follower kopiert den Leader (Sync)…</translation>
    </message>
    <message>
        <location filename="../src/gui/DemoRunner.cpp" line="118"/>
        <source>Demo: sync failed: %1</source>
        <translation>Demo: Sync fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/DemoRunner.cpp" line="133"/>
        <source>Demo running: the follower applies the leader&apos;s writes.</source>
        <translation>Demo läuft: Der Follower übernimmt die Schreibvorgänge des Leaders.</translation>
    </message>
</context>
<context>
    <name>repl::gui::DocumentBrowser</name>
    <message>
        <location filename="../src/gui/DocumentBrowser.cpp" line="83"/>
        <source>Cannot read documents: %1</source>
        <translation>Dokumente können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/DocumentBrowser.cpp" line="110"/>
        <location filename="../src/gui/DocumentBrowser.cpp" line="160"/>
        <source>%1 has no documents.</source>
        <translation>%1 enthält keine Dokumente.</translation>
    </message>
    <message>
        <location filename="../src/gui/DocumentBrowser.cpp" line="111"/>
        <location filename="../src/gui/DocumentBrowser.cpp" line="161"/>
        <source>No more documents.</source>
        <translation>Keine weiteren Dokumente.</translation>
    </message>
    <message>
        <location filename="../src/gui/DocumentBrowser.cpp" line="118"/>
        <source>Page %1 of %2 (documents shown: %3)%4</source>
        <translation>Seite %1 von %2 (angezeigte Dokumente: %3)%4</translation>
    </message>
    <message>
        <location filename="../src/gui/DocumentBrowser.cpp" line="166"/>
        <source>%1 in id order (documents shown: %2)</source>
        <translation>%1 in ID-Reihenfolge (angezeigte Dokumente: %2)</translation>
    </message>
    <message>
        <location filename="../src/gui/DocumentBrowser.cpp" line="167"/>
        <source>%1 from “%2” (documents shown: %3)</source>
        <translation>%1 ab „%2“ (angezeigte Dokumente: %3)</translation>
    </message>
    <message>
        <location filename="../src/gui/DocumentBrowser.cpp" line="122"/>
        <source> (%1 removals not shown)</source>
        <translation>(%1 Löschungen nicht angezeigt)</translation>
    </message>
</context>
<context>
    <name>repl::gui::FleetModel</name>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="96"/>
        <source>Ticks behind over the last 15 minutes</source>
        <translation>Ticks Rückstand in den letzten 15 Minuten</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="101"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="103"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="105"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="107"/>
        <source>Follows</source>
        <translation>Folgt</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="109"/>
        <source>Applied tick</source>
        <translation>Angewendeter Tick</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="111"/>
        <source>Leader tick</source>
        <translation>Leader-Tick</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="113"/>
        <source>Lag (ticks)</source>
        <translation>Rückstand (Ticks)</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="115"/>
        <source>Lag (s)</source>
        <translation>Rückstand (s)</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="117"/>
        <source>Last 15 min</source>
        <translation>Letzte 15 min</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="119"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="130"/>
        <source>CouchDB protocol</source>
        <translation>CouchDB-Protokoll</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="133"/>
        <source>leader (cannot follow)</source>
        <translation>Leader (kann nicht folgen)</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="133"/>
        <source>standalone (cannot follow)</source>
        <translation>eigenständig (kann nicht folgen)</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="135"/>
        <source>leader and follower</source>
        <translation>Leader und Follower</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="136"/>
        <source>follower</source>
        <translation>Follower</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="137"/>
        <source>leader</source>
        <translation>Leader</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="138"/>
        <source>standalone</source>
        <translation>eigenständig</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="151"/>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="153"/>
        <source>not watched: no password stored (open it once)</source>
        <translation>nicht beobachtet: kein Passwort gespeichert (einmal öffnen)</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="155"/>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="157"/>
        <source>authentication failed (HTTP %1)</source>
        <translation>Anmeldung fehlgeschlagen (HTTP %1)</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="159"/>
        <source>ok (replications in its Replications tab)</source>
        <translation>ok (Replikationen im Tab „Replikationen“)</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="161"/>
        <source>stopped: error %1</source>
        <translation>gestoppt: Fehler %1</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="164"/>
        <source>%1 s behind</source>
        <translation>%1 s Rückstand</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="166"/>
        <source>applier stopped, %1</source>
        <translation>Applier gestoppt, %1</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="168"/>
        <source>lag critical: %1</source>
        <translation>Rückstand kritisch: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="170"/>
        <source>lag warning: %1</source>
        <translation>Rückstand Warnung: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="177"/>
        <source>a follower stopped asking</source>
        <translation>ein Follower fragt nicht mehr an</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="178"/>
        <source>%1 followers stopped asking</source>
        <translation>%1 Follower fragen nicht mehr an</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="180"/>
        <location filename="../src/gui/FleetModel.cpp" line="226"/>
        <source>applying</source>
        <translation>wendet an</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="181"/>
        <source>applier stopped</source>
        <translation>Applier gestoppt</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetModel.cpp" line="181"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
</context>
<context>
    <name>repl::gui::FleetOverview</name>
    <message>
        <location filename="../src/gui/FleetOverview.cpp" line="182"/>
        <source>Double-click a server to open it</source>
        <translation>Doppelklick öffnet einen Server</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetOverview.cpp" line="222"/>
        <source>&lt;b&gt;Fleet&lt;/b&gt; — every server in the list, polled in the background</source>
        <translation>&lt;b&gt;Flotte&lt;/b&gt; — jeder Server der Liste, im Hintergrund abgefragt</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetOverview.cpp" line="252"/>
        <source>Servers: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetOverview.cpp" line="252"/>
        <source>followers: %1</source>
        <translation>Follower: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetOverview.cpp" line="255"/>
        <source>critical: %1</source>
        <translation>kritisch: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetOverview.cpp" line="258"/>
        <source>warnings: %1</source>
        <translation>Warnungen: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/FleetOverview.cpp" line="260"/>
        <source>no alarms</source>
        <translation>keine Alarme</translation>
    </message>
</context>
<context>
    <name>repl::gui::FleetWatcher</name>
    <message>
        <location filename="../src/gui/FleetWatcher.cpp" line="227"/>
        <source>no password stored: open it once to watch it</source>
        <translation>kein Passwort gespeichert: einmal öffnen, um ihn zu beobachten</translation>
    </message>
</context>
<context>
    <name>repl::gui::FollowersModel</name>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="59"/>
        <source>stopped: error %1</source>
        <translation>gestoppt: Fehler %1</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="65"/>
        <source>applier stopped, %1 s behind</source>
        <translation>Applier gestoppt, %1 s Rückstand</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="66"/>
        <source>applier stopped</source>
        <translation>Applier gestoppt</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="86"/>
        <source>server %1</source>
        <translation>Server %1</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="99"/>
        <source>stopped asking %1 s ago</source>
        <translation>fragt seit %1 s nicht mehr an</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="107"/>
        <source>lag critical</source>
        <translation>Rückstand kritisch</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="108"/>
        <source>lag warning</source>
        <translation>Rückstand Warnung</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="109"/>
        <source>catching up</source>
        <translation>holt auf</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="110"/>
        <source>in sync</source>
        <translation>synchron</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="142"/>
        <source>Follower</source>
        <translation>Follower</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="144"/>
        <source>Server id</source>
        <translation>Server-ID</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="146"/>
        <source>Last served tick</source>
        <translation>Zuletzt gelieferter Tick</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="148"/>
        <source>Lag (ticks)</source>
        <translation>Rückstand (Ticks)</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="150"/>
        <source>Lag (s)</source>
        <translation>Rückstand (s)</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="152"/>
        <source>Last asked</source>
        <translation>Zuletzt angefragt</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="154"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="172"/>
        <source>In the server list</source>
        <translation>In der Serverliste</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="172"/>
        <source>Known only from the leader&apos;s log clients</source>
        <translation>Nur aus den Log-Clients des Leaders bekannt</translation>
    </message>
</context>
<context>
    <name>repl::gui::InventoryModel</name>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="13"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="13"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="13"/>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="13"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="90"/>
        <location filename="../src/gui/InventoryModel.cpp" line="168"/>
        <source>database</source>
        <translation>Datenbank</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/InventoryModel.cpp" line="114"/>
        <source>%n collection(s)</source>
        <translation>
            <numerusform>%n Collection</numerusform>
            <numerusform>%n Collections</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="115"/>
        <source> + %1 system</source>
        <translation> + %1 System</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="121"/>
        <source>Database %1: %2, %3 documents. Select a collection to see its definition and documents.</source>
        <translation>Datenbank %1: %2, %3 Dokumente. Wählen Sie eine Collection, um ihre Definition und ihre Dokumente zu sehen.</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="125"/>
        <source>Database %1: %2</source>
        <translation>Datenbank %1: %2</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="169"/>
        <source>edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="170"/>
        <source>document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="209"/>
        <source>%1update seq %2</source>
        <translation>%1Update-Seq %2</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="210"/>
        <source>system, </source>
        <translation>System, </translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="212"/>
        <source> · %1 deleted</source>
        <translation> · %1 gelöscht</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="202"/>
        <source>system, id %1</source>
        <translation>System, ID %1</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="203"/>
        <source>id %1</source>
        <translation>ID %1</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="184"/>
        <source>%1 index</source>
        <translation>%1-Index</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="187"/>
        <source>unique</source>
        <translation>eindeutig</translation>
    </message>
    <message>
        <location filename="../src/gui/InventoryModel.cpp" line="189"/>
        <source>sparse</source>
        <translation>sparse</translation>
    </message>
</context>
<context>
    <name>repl::gui::LagChart</name>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="43"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="44"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="60"/>
        <source>Window:</source>
        <translation>Zeitraum:</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="67"/>
        <source>Show live</source>
        <translation>Live anzeigen</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="69"/>
        <source>Leave the zoomed range and follow the newest samples again</source>
        <translation>Den vergrößerten Bereich verlassen und wieder den neuesten Werten folgen</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="72"/>
        <source>Drag across a chart to zoom; hover a line for exact values.</source>
        <translation>Zum Vergrößern über ein Diagramm ziehen; für genaue Werte auf eine Linie zeigen.</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="78"/>
        <source>ticks behind</source>
        <translation>Ticks Rückstand</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="79"/>
        <source>seconds behind</source>
        <translation>Sekunden Rückstand</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="88"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="89"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location filename="../src/gui/LagChart.cpp" line="520"/>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2&lt;br&gt;%3 ticks behind&lt;br&gt;%4 s behind</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2&lt;br&gt;%3 Ticks Rückstand&lt;br&gt;%4 s Rückstand</translation>
    </message>
</context>
<context>
    <name>repl::gui::LagMonitor</name>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="145"/>
        <source>Export lag samples</source>
        <translation>Rückstands-Messwerte exportieren</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="145"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="153"/>
        <location filename="../src/gui/LagMonitor.cpp" line="163"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="154"/>
        <location filename="../src/gui/LagMonitor.cpp" line="164"/>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="156"/>
        <source>Exported %1 samples to %2.</source>
        <translation>%1 Messwerte nach %2 exportiert.</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="180"/>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="198"/>
        <source>(%1 s behind)</source>
        <translation>(%1 s Rückstand)</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="205"/>
        <source>in sync</source>
        <translation>synchron</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="201"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="74"/>
        <source>this follower</source>
        <translation>dieser Follower</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="180"/>
        <source>not a follower</source>
        <translation>kein Follower</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="184"/>
        <source>This server follows no leader: its applier is neither running nor configured. Who follows it is in the Followers tab; the whole fleet is in the Overview.</source>
        <translation>Dieser Server folgt keinem Leader: Sein Applier läuft nicht und ist nicht konfiguriert. Wer ihm folgt, steht im Tab „Follower“; die ganze Flotte in der Übersicht.</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="197"/>
        <source>%1 ticks</source>
        <translation>%1 Ticks</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="203"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../src/gui/LagMonitor.cpp" line="205"/>
        <source>catching up</source>
        <translation>holt auf</translation>
    </message>
</context>
<context>
    <name>repl::gui::LeaderView</name>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="215"/>
        <location filename="../src/gui/LeaderView.cpp" line="281"/>
        <source>Newest tick: %1</source>
        <translation>Neuester Tick: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="271"/>
        <source>&lt;b&gt;%1&lt;/b&gt; has no followers: none of the listed servers follows it, and its log has no clients.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; hat keine Follower: Keiner der Server in der Liste folgt ihm, und sein Log hat keine Clients.</translation>
    </message>
    <message>
        <location filename="../src/gui/LeaderView.cpp" line="274"/>
        <source>&lt;b&gt;Followers of %1&lt;/b&gt; — followers: %2. A follower that has not asked for the log for %3 s is flagged.</source>
        <translation>&lt;b&gt;Follower von %1&lt;/b&gt; — Follower: %2. Ein Follower, der das Log seit %3 s nicht abgefragt hat, wird markiert.</translation>
    </message>
</context>
<context>
    <name>repl::gui::LiveLog</name>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="62"/>
        <source>all events</source>
        <translation>alle Ereignisse</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="63"/>
        <source>inserts and updates</source>
        <translation>Einfügungen und Änderungen</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="64"/>
        <source>removals</source>
        <translation>Löschungen</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="65"/>
        <source>collections and indexes</source>
        <translation>Collections und Indizes</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="66"/>
        <source>transactions</source>
        <translation>Transaktionen</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="67"/>
        <source>logger start/stop</source>
        <translation>Logger-Start/-Stopp</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="74"/>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="74"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="184"/>
        <source>Choose a database to follow.</source>
        <translation>Wählen Sie eine Datenbank zum Verfolgen.</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="200"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="206"/>
        <source>Following the changes of %1 from now (seq %2).</source>
        <translation>Die Änderungen von %1 werden ab jetzt verfolgt (Seq %2).</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="221"/>
        <source>Cannot read the log: %1</source>
        <translation>Das Log kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="230"/>
        <source>Following from tick %1.</source>
        <translation>Log wird ab Tick %1 verfolgt.</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="227"/>
        <source>Following from tick %1. This server&apos;s logger is stopped, so no changes are recorded: start it in the Logger tab.</source>
        <translation>Log wird ab Tick %1 verfolgt. Der Logger dieses Servers ist gestoppt, daher werden keine Änderungen aufgezeichnet: Starten Sie ihn im Tab „Logger“.</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="266"/>
        <location filename="../src/gui/LiveLog.cpp" line="317"/>
        <source>Following stopped: %1</source>
        <translation>Verfolgung gestoppt: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="355"/>
        <source>last_seq %1 · %2 events/s%3</source>
        <translation>last_seq %1 · %2 Ereignisse/s%3</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="362"/>
        <source>lastTick %1 · lastIncluded %2 · %3 events/s%4</source>
        <translation>lastTick %1 · lastIncluded %2 · %3 Ereignisse/s%4</translation>
    </message>
    <message>
        <location filename="../src/gui/LiveLog.cpp" line="358"/>
        <location filename="../src/gui/LiveLog.cpp" line="366"/>
        <source> · paused</source>
        <translation> · pausiert</translation>
    </message>
</context>
<context>
    <name>repl::gui::LogEventModel</name>
    <message>
        <location filename="../src/gui/LogEventModel.cpp" line="27"/>
        <source>Tick</source>
        <translation>Tick</translation>
    </message>
    <message>
        <location filename="../src/gui/LogEventModel.cpp" line="29"/>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location filename="../src/gui/LogEventModel.cpp" line="31"/>
        <source>Collection</source>
        <translation>Collection</translation>
    </message>
    <message>
        <location filename="../src/gui/LogEventModel.cpp" line="33"/>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location filename="../src/gui/LogEventModel.cpp" line="35"/>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
</context>
<context>
    <name>repl::gui::LoggerPanel</name>
    <message>
        <location filename="../src/gui/LoggerPanel.cpp" line="54"/>
        <source>Logger configuration refused: %1</source>
        <translation>Logger-Konfiguration abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/LoggerPanel.cpp" line="87"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location filename="../src/gui/LoggerPanel.cpp" line="87"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location filename="../src/gui/LoggerPanel.cpp" line="93"/>
        <source>%1 (served up to tick %2)</source>
        <translation>%1 (bedient bis Tick %2)</translation>
    </message>
    <message>
        <location filename="../src/gui/LoggerPanel.cpp" line="96"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
</context>
<context>
    <name>repl::gui::MainWindow</name>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="48"/>
        <source>Nothing to do.</source>
        <translation>Nichts zu tun.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="50"/>
        <source>The leader did not answer. Check that it runs and that this machine can reach its endpoint, then start the applier again.</source>
        <translation>Der Leader hat nicht geantwortet. Prüfen Sie, ob er läuft und ob dieser Rechner seinen Endpoint erreicht, und starten Sie dann den Applier erneut.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="53"/>
        <source>The leader sent something that is not a replication log. Check that the endpoint points at a replication server.</source>
        <translation>Der Leader hat etwas gesendet, das kein Replikationslog ist. Prüfen Sie, ob der Endpoint auf einen Replikationsserver zeigt.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="56"/>
        <source>The leader refused a request. Check the user and password in the applier configuration (HTTP 401) and that the database exists.</source>
        <translation>Der Leader hat eine Anfrage abgelehnt. Prüfen Sie Benutzer und Passwort in der Applier-Konfiguration (HTTP 401) und ob die Datenbank existiert.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="59"/>
        <source>The leader is a different server than before. Run a sync from it, or forget the applier state if this is intended.</source>
        <translation>Der Leader ist ein anderer Server als zuvor. Führen Sie einen Sync von diesem Leader aus, oder verwerfen Sie den Applier-Zustand, falls der Wechsel beabsichtigt ist.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="62"/>
        <source>The applier points at this server itself. Set the leader&apos;s endpoint instead.</source>
        <translation>Der Applier zeigt auf diesen Server selbst. Tragen Sie stattdessen den Endpoint des Leaders ein.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="65"/>
        <source>The applier has no valid endpoint. Set one in its configuration.</source>
        <translation>Der Applier hat keinen gültigen Endpoint. Tragen Sie einen in seiner Konfiguration ein.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="67"/>
        <source>Stop the applier first, then change its configuration or run the sync.</source>
        <translation>Stoppen Sie zuerst den Applier, und ändern Sie dann seine Konfiguration oder führen Sie den Sync aus.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="70"/>
        <source>The applier was stopped by an operator. Start it again to continue where it stopped.</source>
        <translation>Der Applier wurde von einem Administrator gestoppt. Starten Sie ihn erneut, um an der Stelle fortzufahren, an der er angehalten wurde.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="73"/>
        <source>The leader&apos;s log no longer holds the tick this follower needs. Run a sync, then start the applier from the sync&apos;s tick.</source>
        <translation>Das Log des Leaders enthält den Tick, den dieser Follower benötigt, nicht mehr. Führen Sie einen Sync aus, und starten Sie dann den Applier ab dem Tick des Syncs.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="76"/>
        <source>See the message above; the server&apos;s log has details.</source>
        <translation>Siehe Meldung oben; Details finden Sie im Log des Servers.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="99"/>
        <source>Live log</source>
        <translation>Live-Log</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="105"/>
        <source>Lag</source>
        <translation>Rückstand</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="136"/>
        <source>restore</source>
        <translation>Wiederherstellung</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="136"/>
        <source>backup</source>
        <translation>Backup</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="137"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="37"/>
        <source>Followers</source>
        <translation>Follower</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="50"/>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="80"/>
        <source>Start applier</source>
        <translation>Applier starten</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="84"/>
        <source>Stop applier</source>
        <translation>Applier stoppen</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="110"/>
        <source>reachable (checked in the background)</source>
        <translation>erreichbar (im Hintergrund geprüft)</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="112"/>
        <source>authentication failed (HTTP %1)</source>
        <translation>Anmeldung fehlgeschlagen (HTTP %1)</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="113"/>
        <source>unreachable: %1</source>
        <translation>nicht erreichbar: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="126"/>
        <source>The applier on %1 stopped: error %2 — %3</source>
        <translation>Der Applier auf %1 wurde angehalten: Fehler %2 — %3</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="129"/>
        <source>Last error: %1 on %2</source>
        <translation>Letzter Fehler: %1 auf %2</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="131"/>
        <source>applier stopped by an error</source>
        <translation>Applier durch einen Fehler angehalten</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="132"/>
        <source>error %1: %2 — %3</source>
        <translation>Fehler %1: %2 — %3</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowFleet.cpp" line="144"/>
        <source>Applier stopped on %1</source>
        <translation>Applier auf %1 angehalten</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="215"/>
        <source>Replications</source>
        <translation>Replikationen</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="229"/>
        <source>replication cancelled</source>
        <translation>Replikation abgebrochen</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="232"/>
        <source>replication started</source>
        <translation>Replikation gestartet</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="233"/>
        <source>%1 → %2%3</source>
        <translation>%1 → %2%3</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="237"/>
        <source> (continuous)</source>
        <translation> (fortlaufend)</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="128"/>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="56"/>
        <source>&amp;Add server…</source>
        <translation>Server &amp;hinzufügen…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="60"/>
        <source>&amp;Edit server…</source>
        <translation>Server &amp;bearbeiten…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="67"/>
        <source>&amp;Remove server</source>
        <translation>Server &amp;entfernen</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="75"/>
        <source>Remove server</source>
        <translation>Server entfernen</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="76"/>
        <source>Remove %1 from the list? Its password is removed from the keychain.</source>
        <translation>%1 aus der Liste entfernen? Das zugehörige Passwort wird aus dem Schlüsselbund gelöscht.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="88"/>
        <source>&amp;Configure applier…</source>
        <translation>Applier &amp;konfigurieren…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="92"/>
        <source>Configure…</source>
        <translation>Konfigurieren…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="96"/>
        <source>&amp;Sync from leader…</source>
        <translation>Vom Leader &amp;synchronisieren…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="101"/>
        <source>&amp;Back up database…</source>
        <translation>Datenbank s&amp;ichern…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="104"/>
        <source>R&amp;estore database…</source>
        <translation>Datenbank &amp;wiederherstellen…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="107"/>
        <source>Restore &amp;points…</source>
        <translation>&amp;Wiederherstellungspunkte…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="111"/>
        <source>Start &amp;demo</source>
        <translation>&amp;Demo starten</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="160"/>
        <source>First page</source>
        <translation>Erste Seite</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="162"/>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="266"/>
        <source>Replicate “%1”…</source>
        <translation>„%1“ replizieren…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="117"/>
        <source>Metrics</source>
        <translation>Metriken</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="192"/>
        <source>Logger configuration saved.</source>
        <translation>Logger-Konfiguration gespeichert.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="193"/>
        <source>logger configured</source>
        <translation>Logger konfiguriert</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="201"/>
        <source>applier started</source>
        <translation>Applier gestartet</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="203"/>
        <source>from its saved state</source>
        <translation>ab dem gespeicherten Zustand</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="204"/>
        <source>from tick %1</source>
        <translation>ab Tick %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="212"/>
        <source>applier stopped</source>
        <translation>Applier gestoppt</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="213"/>
        <source>at tick %1</source>
        <translation>bei Tick %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="224"/>
        <source>Starting the engine on this computer…</source>
        <translation>Engine auf diesem Computer wird gestartet…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="303"/>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="310"/>
        <source>Engine on this computer listens on %1</source>
        <translation>Engine auf diesem Computer lauscht auf %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="336"/>
        <source>connecting…</source>
        <translation>wird verbunden…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="360"/>
        <source>%1 — ReplDesk</source>
        <translation>%1 — ReplDesk</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="370"/>
        <source>Logger · %1</source>
        <translation>Logger · %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="370"/>
        <source>Logger</source>
        <translation>Logger</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="372"/>
        <source>Applier · %1</source>
        <translation>Applier · %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="372"/>
        <source>Applier</source>
        <translation>Applier</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="389"/>
        <location filename="../src/gui/MainWindow.cpp" line="395"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="416"/>
        <location filename="../src/gui/MainWindow.cpp" line="443"/>
        <source>none</source>
        <translation>nicht vorhanden</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="423"/>
        <source>not configured</source>
        <translation>nicht konfiguriert</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="424"/>
        <source> — the server-level (global) applier: it follows every database</source>
        <translation> — der serverweite (globale) Applier: er folgt jeder Datenbank</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="427"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="430"/>
        <source>— (not running)</source>
        <translation>— (läuft nicht)</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="434"/>
        <source>%1 events, %2 documents, %3 removals, %4 requests, %5 failed connects</source>
        <translation>%1 Ereignisse, %2 Dokumente, %3 Löschungen, %4 Anfragen, %5 fehlgeschlagene Verbindungsversuche</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="444"/>
        <source>%1 — %2 (at %3)</source>
        <translation>%1 — %2 (um %3)</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="453"/>
        <source>%1 · %2 · %3: %4</source>
        <translation>%1 · %2 · %3: %4</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="460"/>
        <location filename="../src/gui/MainWindow.cpp" line="482"/>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="461"/>
        <source>Applier error %1: %2</source>
        <translation>Applier-Fehler %1: %2</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="470"/>
        <source>Errors this session:
%1</source>
        <translation>Fehler in dieser Sitzung:
%1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="176"/>
        <source>No system keychain: the password is kept for this session only.</source>
        <translation>Kein System-Schlüsselbund: Das Passwort wird nur für diese Sitzung gespeichert.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowActions.cpp" line="203"/>
        <source>applier configured</source>
        <translation>Applier konfiguriert</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="25"/>
        <source>Trusted &amp;CA certificates…</source>
        <translation>Vertrauenswürdige &amp;CA-Zertifikate…</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="32"/>
        <source>The CA file set for TLS is not used: %1</source>
        <translation>Die für TLS eingestellte CA-Datei wird nicht verwendet: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="40"/>
        <source>CA certificates (PEM) trusted beyond the system&apos;s</source>
        <translation>CA-Zertifikate (PEM), denen zusätzlich zu denen des Systems vertraut wird</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="44"/>
        <source>PEM certificates (*.pem *.crt *.cer)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="44"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="50"/>
        <source>Not used: %1</source>
        <translation>Nicht verwendet: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="53"/>
        <source>Certificates in %1 are trusted from now on, also by the engine on this computer.</source>
        <translation>Den Zertifikaten in %1 wird ab jetzt vertraut, auch von der Engine auf diesem Computer.</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="56"/>
        <source>CA file set</source>
        <translation>CA-Datei festgelegt</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="83"/>
        <source>certificate trusted</source>
        <translation>Zertifikat als vertrauenswürdig festgelegt</translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowTls.cpp" line="84"/>
        <source>%1: SHA-256 %2 (%3)</source>
        <translation>%1: SHA-256 %2 (%3)</translation>
    </message>
</context>
<context>
    <name>repl::gui::MetricsModel</name>
    <message>
        <location filename="../src/gui/MetricsModel.cpp" line="146"/>
        <source>reset</source>
        <translation>zurückgesetzt</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsModel.cpp" line="166"/>
        <source>The value went down since the previous refresh: the server started again, so there is no rate this time.</source>
        <translation>Der Wert ist seit der letzten Aktualisierung gesunken: Der Server wurde neu gestartet, daher gibt es diesmal keine Rate.</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsModel.cpp" line="169"/>
        <source>The change per second shows from the next refresh on.</source>
        <translation>Die Änderung pro Sekunde erscheint ab der nächsten Aktualisierung.</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsModel.cpp" line="198"/>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsModel.cpp" line="200"/>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsModel.cpp" line="202"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsModel.cpp" line="204"/>
        <source>Per second</source>
        <translation>Pro Sekunde</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsModel.cpp" line="208"/>
        <source>How much a counter grew per second between the last two refreshes.</source>
        <translation>Um wie viel ein Zähler zwischen den letzten beiden Aktualisierungen pro Sekunde gewachsen ist.</translation>
    </message>
</context>
<context>
    <name>repl::gui::MetricsPanel</name>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="33"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="40"/>
        <source>Filter by metric, label or family…</source>
        <translation>Nach Metrik, Label oder Familie filtern…</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="44"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="45"/>
        <source>How often the metrics are read while this tab shows.</source>
        <translation>Wie oft die Metriken gelesen werden, solange dieser Reiter angezeigt wird.</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="57"/>
        <location filename="../src/gui/MetricsPanel.cpp" line="111"/>
        <source>No server selected.</source>
        <translation>Kein Server ausgewählt.</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="80"/>
        <source>Every</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="162"/>
        <source>Reading the metrics…</source>
        <translation>Metriken werden gelesen…</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="171"/>
        <source>Not refreshed at %1.</source>
        <translation>Um %1 nicht aktualisiert.</translation>
    </message>
    <message>
        <location filename="../src/gui/MetricsPanel.cpp" line="178"/>
        <source>Families: %1 · samples: %2 · refreshed at %3</source>
        <translation>Familien: %1 · Werte: %2 · aktualisiert um %3</translation>
    </message>
</context>
<context>
    <name>repl::gui::PasswordCache</name>
    <message>
        <location filename="../src/gui/PasswordCache.cpp" line="47"/>
        <source>No system keychain is available, so ReplDesk cannot keep the password. It is asked once per session.</source>
        <translation>Es ist kein System-Schlüsselbund verfügbar, daher kann ReplDesk das Passwort nicht speichern. Es wird einmal pro Sitzung abgefragt.</translation>
    </message>
    <message>
        <location filename="../src/gui/PasswordCache.cpp" line="49"/>
        <source>No password is stored for %1.</source>
        <translation>Für %1 ist kein Passwort gespeichert.</translation>
    </message>
    <message>
        <location filename="../src/gui/PasswordCache.cpp" line="52"/>
        <source>Password for %1</source>
        <translation>Passwort für %1</translation>
    </message>
    <message>
        <location filename="../src/gui/PasswordCache.cpp" line="53"/>
        <source>Password of %1:</source>
        <translation>Passwort von %1:</translation>
    </message>
</context>
<context>
    <name>repl::gui::ReplicateDialog</name>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="27"/>
        <source>Choose or type the %1 database.</source>
        <translation>Wählen oder tippen Sie die Datenbank für %1.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="31"/>
        <source>The %1 URL must start with http:// or https:// and name a host.</source>
        <translation>Die URL für %1 muss mit http:// oder https:// beginnen und einen Host nennen.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="35"/>
        <source>The %1 URL must end with a database name, e.g. http://host:5984/orders.</source>
        <translation>Die URL für %1 muss mit einem Datenbanknamen enden, z. B. http://host:5984/orders.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="43"/>
        <source>“%1” is not a database name: it contains spaces (or type a URL).</source>
        <translation>„%1“ ist kein Datenbankname: Er enthält Leerzeichen (oder geben Sie eine URL ein).</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="58"/>
        <source>not a JSON object</source>
        <translation>kein JSON-Objekt</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="72"/>
        <location filename="../src/gui/ReplicateDialog.cpp" line="123"/>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="77"/>
        <source>database name, or http://host:5984/db</source>
        <translation>Datenbankname oder http://host:5984/db</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="81"/>
        <source>%1 — %2/…</source>
        <translation>%1 — %2/…</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="103"/>
        <source>This server has no _replicator database: the job runs until it ends, is cancelled or the server restarts.</source>
        <translation>Dieser Server hat keine _replicator-Datenbank: Der Auftrag läuft, bis er endet, abgebrochen wird oder der Server neu startet.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="123"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="129"/>
        <source>Edit replication %1</source>
        <translation>Replikation %1 bearbeiten</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="218"/>
        <source>source</source>
        <translation>die Quelle</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="222"/>
        <source>target</source>
        <translation>das Ziel</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="227"/>
        <source>Source and target are the same database.</source>
        <translation>Quelle und Ziel sind dieselbe Datenbank.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="233"/>
        <source>The document id must not start with “_” or contain spaces.</source>
        <translation>Die Dokument-ID darf nicht mit „_“ beginnen und keine Leerzeichen enthalten.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="248"/>
        <source>List at least one document id, separated by commas.</source>
        <translation>Mindestens eine Dokument-ID angeben, durch Kommas getrennt.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="257"/>
        <source>Name the filter as ddoc/name (the function filters.name in _design/ddoc on the source), or _view, _design, _doc_ids.</source>
        <translation>Den Filter als ddoc/name angeben (die Funktion filters.name in _design/ddoc auf der Quelle) oder _view, _design, _doc_ids.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="267"/>
        <source>Query parameters must be a JSON object: %1</source>
        <translation>Abfrageparameter müssen ein JSON-Objekt sein: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="275"/>
        <source>The _view filter needs {&quot;view&quot;: &quot;ddoc/view&quot;} in the query parameters.</source>
        <translation>Der Filter _view braucht {&quot;view&quot;: &quot;ddoc/view&quot;} in den Abfrageparametern.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="285"/>
        <source>The selector must be a JSON object such as {&quot;type&quot;: &quot;order&quot;}%1</source>
        <translation>Der Selektor muss ein JSON-Objekt sein, etwa {&quot;type&quot;: &quot;order&quot;}%1</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicateDialog.cpp" line="312"/>
        <source>The proxy must be an http://, https:// or socks5:// URL with a host.</source>
        <translation>Der Proxy muss eine http://-, https://- oder socks5://-URL mit Host sein.</translation>
    </message>
</context>
<context>
    <name>repl::gui::ReplicationJobModel</name>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="29"/>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="30"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="32"/>
        <source>crashing, retrying</source>
        <translation>abgestürzt, neuer Versuch</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="33"/>
        <source>pending</source>
        <translation>wartend</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="34"/>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="36"/>
        <source>completed</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="37"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="39"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="41"/>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="226"/>
        <source>transient</source>
        <translation>vorübergehend</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="232"/>
        <source>continuous</source>
        <translation>fortlaufend</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="232"/>
        <source>one-shot</source>
        <translation>einmalig</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="266"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="268"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="270"/>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="272"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="274"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="276"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="278"/>
        <source>Written</source>
        <translation>Geschrieben</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="280"/>
        <source>Read</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="282"/>
        <source>Failures</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="284"/>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="286"/>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="288"/>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="297"/>
        <source>The source or target database does not exist or cannot be reached. Check the URL and the database name; tick “Create target” to have a missing target created.</source>
        <translation>Die Quell- oder Zieldatenbank existiert nicht oder ist nicht erreichbar. URL und Datenbanknamen prüfen; „Ziel anlegen“ ankreuzen, damit ein fehlendes Ziel angelegt wird.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="301"/>
        <source>The server refused the credentials. Put user:password in the URL (it is moved to a header and never logged) or check the account&apos;s rights on that database.</source>
        <translation>Der Server hat die Zugangsdaten abgelehnt. benutzer:passwort in die URL schreiben (sie wandern in einen Header und werden nie protokolliert) oder die Rechte des Kontos auf dieser Datenbank prüfen.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="305"/>
        <source>The filter&apos;s design document or function was not found on the source. Check “ddoc/name” and that _design/ddoc holds filters.name.</source>
        <translation>Design-Dokument oder Funktion des Filters wurde auf der Quelle nicht gefunden. „ddoc/name“ prüfen und ob _design/ddoc filters.name enthält.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="309"/>
        <source>A peer stopped answering or answered with an error. Check that both servers run and are reachable; continuous jobs retry by themselves with a growing delay.</source>
        <translation>Eine Gegenstelle antwortet nicht mehr oder mit einem Fehler. Prüfen, ob beide Server laufen und erreichbar sind; fortlaufende Aufträge versuchen es selbst mit wachsender Pause erneut.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="313"/>
        <source>The job was cancelled. Start it again to resume from its last checkpoint.</source>
        <translation>Der Auftrag wurde abgebrochen. Erneut starten, um am letzten Checkpoint fortzufahren.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="316"/>
        <source>The request was refused; the message names the field to fix.</source>
        <translation>Die Anfrage wurde abgelehnt; die Meldung nennt das zu korrigierende Feld.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationJobModel.cpp" line="318"/>
        <source>See the message; the server&apos;s log has details.</source>
        <translation>Siehe Meldung; das Protokoll des Servers hat Einzelheiten.</translation>
    </message>
</context>
<context>
    <name>repl::gui::ReplicationsPanel</name>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="60"/>
        <source>&amp;New replication…</source>
        <translation>&amp;Neue Replikation…</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="61"/>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="433"/>
        <source>Ca&amp;ncel job</source>
        <translation>Auftrag a&amp;bbrechen</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="62"/>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten …</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="74"/>
        <source>Change the selected _replicator document (its job restarts)</source>
        <translation>Das gewählte _replicator-Dokument ändern (sein Auftrag startet neu)</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="75"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="169"/>
        <source>jobs unavailable: %1</source>
        <translation>Aufträge nicht abrufbar: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="303"/>
        <source>Starting a continuous replication…</source>
        <translation>Fortlaufende Replikation wird gestartet…</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="304"/>
        <source>Replicating… the list shows its progress.</source>
        <translation>Repliziert… die Liste zeigt den Fortschritt.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="313"/>
        <source>Nothing to replicate: the target is up to date.</source>
        <translation>Nichts zu replizieren: das Ziel ist aktuell.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="315"/>
        <source>Continuous replication %1 is running.</source>
        <translation>Fortlaufende Replikation %1 läuft.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="318"/>
        <source>Cancelled %1.</source>
        <translation>%1 abgebrochen.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="324"/>
        <source>Replication finished: %1 written, %2 failed, up to seq %3.</source>
        <translation>Replikation fertig: %1 geschrieben, %2 fehlgeschlagen, bis Seq %3.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanelDocuments.cpp" line="33"/>
        <source>No answer from the server: %1</source>
        <translation>Keine Antwort vom Server: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/ReplicationsPanel.cpp" line="245"/>
        <source>%n replication(s)</source>
        <translation>
            <numerusform>%n Replikation</numerusform>
            <numerusform>%n Replikationen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/ReplicationsPanel.cpp" line="246"/>
        <source>%n active</source>
        <translation>
            <numerusform>%n aktiv</numerusform>
            <numerusform>%n aktiv</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanelDocuments.cpp" line="99"/>
        <source>Creating the _replicator document…</source>
        <translation>Das _replicator-Dokument wird angelegt …</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanelDocuments.cpp" line="107"/>
        <source>_replicator document %1 created: the server&apos;s scheduler runs it (deleting the document cancels it).</source>
        <translation>_replicator-Dokument %1 angelegt: Der Scheduler des Servers führt es aus (Löschen des Dokuments bricht es ab).</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanelDocuments.cpp" line="144"/>
        <source>Deleted _replicator document %1: its replication is cancelled.</source>
        <translation>_replicator-Dokument %1 gelöscht: Seine Replikation ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanelDocuments.cpp" line="147"/>
        <source>Cannot delete _replicator document %1: %2</source>
        <translation>_replicator-Dokument %1 kann nicht gelöscht werden: %2</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanelDocuments.cpp" line="171"/>
        <source>Cannot read _replicator document %1: %2</source>
        <translation>_replicator-Dokument %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanelDocuments.cpp" line="207"/>
        <source>Saved _replicator document %1: its replication restarts with the new settings.</source>
        <translation>_replicator-Dokument %1 gespeichert: Seine Replikation startet mit den neuen Einstellungen neu.</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanelDocuments.cpp" line="210"/>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="396"/>
        <source>&lt;b&gt;%1&lt;/b&gt; → &lt;b&gt;%2&lt;/b&gt; · id %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; → &lt;b&gt;%2&lt;/b&gt; · ID %3</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/ReplicationsPanel.cpp" line="402"/>
        <source>_replicator document &lt;b&gt;%1&lt;/b&gt; · %2 · %n error(s) so far</source>
        <translation>
            <numerusform>_replicator-Dokument &lt;b&gt;%1&lt;/b&gt; · %2 · bisher %n Fehler</numerusform>
            <numerusform>_replicator-Dokument &lt;b&gt;%1&lt;/b&gt; · %2 · bisher %n Fehler</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="405"/>
        <source>continuous</source>
        <translation>fortlaufend</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="406"/>
        <source>one-shot</source>
        <translation>einmalig</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="410"/>
        <source>started %1</source>
        <translation>gestartet %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="415"/>
        <source>through seq %1</source>
        <translation>bis Seq %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="416"/>
        <source>through seq %1 of %2</source>
        <translation>bis Seq %1 von %2</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="418"/>
        <source>checkpointed at %1</source>
        <translation>Checkpoint bei %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="433"/>
        <source>&amp;Delete document</source>
        <translation>Dokument &amp;löschen</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="434"/>
        <source>Deletes the _replicator document, which cancels its replication</source>
        <translation>Löscht das _replicator-Dokument und bricht damit seine Replikation ab</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="436"/>
        <source>Cancels the transient job</source>
        <translation>Bricht den vorübergehenden Auftrag ab</translation>
    </message>
    <message>
        <location filename="../src/gui/ReplicationsPanel.cpp" line="429"/>
        <source>Select a job to see its details. “New replication…” copies a database from any CouchDB-protocol server (ReplDesk, CouchDB, PouchDB) into another.</source>
        <translation>Einen Auftrag wählen, um Einzelheiten zu sehen. „Neue Replikation…“ kopiert eine Datenbank von einem beliebigen Server mit CouchDB-Protokoll (ReplDesk, CouchDB, PouchDB) in einen anderen.</translation>
    </message>
</context>
<context>
    <name>repl::gui::RestorePointsDialog</name>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="34"/>
        <source>&amp;Restore</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="35"/>
        <source>&amp;Discard</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="38"/>
        <source>Restore points of %1</source>
        <translation>Wiederherstellungspunkte von %1</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="28"/>
        <source>&amp;Apply</source>
        <translation>&amp;Anwenden</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="40"/>
        <source>Each sync keeps what it purges in &lt;b&gt;%1&lt;/b&gt; as a restore point. A restore puts those collections back as they were before that sync; followers of this server follow it.</source>
        <translation>Jeder Sync bewahrt auf, was er in &lt;b&gt;%1&lt;/b&gt; löscht, als Wiederherstellungspunkt. Eine Wiederherstellung setzt diese Collections wieder auf den Stand vor diesem Sync; Follower dieses Servers folgen ihr.</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="48"/>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="48"/>
        <source>Kept at</source>
        <translation>Behalten am</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="48"/>
        <source>Synced from</source>
        <translation>Synchronisiert von</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="48"/>
        <source>Collections (documents)</source>
        <translation>Collections (Dokumente)</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="48"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="61"/>
        <source>How many of the newest restore points the server keeps; older ones are discarded. 0 keeps none.</source>
        <translation>Wie viele der neuesten Wiederherstellungspunkte der Server behält; ältere werden verworfen. 0 behält keinen.</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="66"/>
        <source>At most this much in all restore points together; the oldest are discarded first. 0 = no limit.
Bytes, or a number with a unit: K, M, G, T (KiB … TiB) are powers of 1024, KB, MB, GB, TB powers of 1000 — e.g. 500M, 2G, 1.5 GiB.</source>
        <translation>Höchstens so viel in allen Wiederherstellungspunkten zusammen; die ältesten werden zuerst verworfen. 0 = keine Grenze.
Bytes oder eine Zahl mit Einheit: K, M, G, T (KiB … TiB) sind Potenzen von 1024, KB, MB, GB, TB Potenzen von 1000 – z. B. 500M, 2G, 1.5 GiB.</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="73"/>
        <source>Store this retention on the server and apply it now.</source>
        <translation>Diese Aufbewahrung auf dem Server speichern und sofort anwenden.</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="77"/>
        <source>&amp;Keep</source>
        <translation>&amp;Behalten</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="79"/>
        <source>newest, at &amp;most</source>
        <translation>neueste, &amp;höchstens</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="86"/>
        <source>in all (0 = no limit)</source>
        <translation>insgesamt (0 = keine Grenze)</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="95"/>
        <source>Type the database name &lt;b&gt;%1&lt;/b&gt; to restore:</source>
        <translation>Geben Sie zum Wiederherstellen den Datenbanknamen &lt;b&gt;%1&lt;/b&gt; ein:</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="152"/>
        <source>Select a restore point.</source>
        <translation>Wählen Sie einen Wiederherstellungspunkt.</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="154"/>
        <source>Type the database name to confirm.</source>
        <translation>Geben Sie zur Bestätigung den Datenbanknamen ein.</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="166"/>
        <source>Cannot list the restore points: %1</source>
        <translation>Die Wiederherstellungspunkte können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="200"/>
        <source>No restore points: no sync has purged anything here yet (or they were restored or discarded).</source>
        <translation>Keine Wiederherstellungspunkte: Hier hat noch kein Sync etwas gelöscht (oder sie wurden wiederhergestellt oder verworfen).</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/RestorePointsDialog.cpp" line="202"/>
        <source>Restore points: %n, oldest first; %1 in all.</source>
        <translation>
            <numerusform>%n Wiederherstellungspunkt, insgesamt %1.</numerusform>
            <numerusform>%n Wiederherstellungspunkte, älteste zuerst; insgesamt %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="222"/>
        <source>Restore point %1: looking at what it would replace…</source>
        <translation>Wiederherstellungspunkt %1: Es wird nachgesehen, was er ersetzen würde…</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="242"/>
        <source>not there now</source>
        <translation>derzeit nicht vorhanden</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="239"/>
        <source>current count unknown</source>
        <translation>aktuelle Anzahl unbekannt</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="241"/>
        <source>documents now: %1</source>
        <translation>Dokumente jetzt: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="243"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2; after the restore: %3, as on %4</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2; nach der Wiederherstellung: %3, Stand %4</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="248"/>
        <source>Restoring %1 replaces:</source>
        <translation>Die Wiederherstellung von %1 ersetzt:</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="261"/>
        <source>Cannot read how many restore points are kept: %1</source>
        <translation>Die Aufbewahrung der Wiederherstellungspunkte kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="298"/>
        <source>“%1” is not a size: type bytes, or a number with K, M, G or T (powers of 1024) or KB, MB, GB, TB (powers of 1000), e.g. 500M or 1.5 GiB.</source>
        <translation>„%1“ ist keine Größe: Geben Sie Bytes ein oder eine Zahl mit K, M, G oder T (Potenzen von 1024) oder KB, MB, GB, TB (Potenzen von 1000), z. B. 500M oder 1.5 GiB.</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/RestorePointsDialog.cpp" line="309"/>
        <source>Apply discards %n of them at once, the oldest first (%1).</source>
        <translation>
            <numerusform>Anwenden verwirft sofort %n davon, den ältesten (%1).</numerusform>
            <numerusform>Anwenden verwirft sofort %n davon, die ältesten zuerst (%1).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="314"/>
        <source>At most %1 (%2 bytes) in all.</source>
        <translation>Insgesamt höchstens %1 (%2 Bytes).</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="341"/>
        <source>Applying the retention…</source>
        <translation>Aufbewahrung wird angewendet…</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="347"/>
        <source>Retention not changed: %1</source>
        <translation>Aufbewahrung nicht geändert: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="352"/>
        <source>no size limit</source>
        <translation>keine Größengrenze</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="353"/>
        <source>at most %1 in all</source>
        <translation>insgesamt höchstens %1</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="354"/>
        <source>Retention applied: the newest %1, %2.</source>
        <translation>Aufbewahrung angewendet: die neuesten %1, %2.</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/RestorePointsDialog.cpp" line="356"/>
        <source>Discarded: %n, the oldest.</source>
        <translation>
            <numerusform>Verworfen: %n, der älteste.</numerusform>
            <numerusform>Verworfen: %n, die ältesten.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="358"/>
        <source>restore point retention set</source>
        <translation>Aufbewahrung der Wiederherstellungspunkte gesetzt</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="359"/>
        <source>%1: keep %2, %3</source>
        <translation>%1: %2 behalten, %3</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="372"/>
        <source>Restoring %1…</source>
        <translation>%1 wird wiederhergestellt…</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="378"/>
        <source>Not restored: %1</source>
        <translation>Nicht wiederhergestellt: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="384"/>
        <source>Restored %1: %2 are as they were before that sync.</source>
        <translation>%1 wiederhergestellt: %2 sind wie vor diesem Sync.</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="386"/>
        <source>restore point restored</source>
        <translation>Wiederherstellungspunkt wiederhergestellt</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="387"/>
        <source>%1 in %2: %3</source>
        <translation>%1 in %2: %3</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="402"/>
        <source>Discarded %1.</source>
        <translation>%1 verworfen.</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="403"/>
        <source>Not discarded: %1</source>
        <translation>Nicht verworfen: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="405"/>
        <source>restore point discarded</source>
        <translation>Wiederherstellungspunkt verworfen</translation>
    </message>
    <message>
        <location filename="../src/gui/RestorePointsDialog.cpp" line="405"/>
        <source>%1 in %2</source>
        <translation>%1 in %2</translation>
    </message>
</context>
<context>
    <name>repl::gui::ServerDialog</name>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="28"/>
        <source>Add a server</source>
        <translation>Server hinzufügen</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="28"/>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="34"/>
        <source>unchanged (kept in the system keychain)</source>
        <translation>unverändert (im System-Schlüsselbund gespeichert)</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="40"/>
        <source>only SHA-256 %1</source>
        <translation>nur SHA-256 %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="44"/>
        <source>&amp;Forget</source>
        <translation>&amp;Vergessen</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="46"/>
        <source>Trust this server&apos;s certificate again only if a certificate authority vouches for it, or after you confirm it anew.</source>
        <translation>Dem Zertifikat dieses Servers wieder nur vertrauen, wenn eine Zertifizierungsstelle dafür bürgt oder nachdem Sie es erneut bestätigt haben.</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="51"/>
        <source>Certificate:</source>
        <translation>Zertifikat:</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="54"/>
        <source>forgotten (saved with the server)</source>
        <translation>vergessen (wird mit dem Server gespeichert)</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="91"/>
        <source>Give the server a name.</source>
        <translation>Geben Sie dem Server einen Namen.</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="94"/>
        <source>Enter the endpoint, e.g. http://db1.example.org:8529.</source>
        <translation>Geben Sie den Endpoint ein, z. B. http://db1.example.org:8529.</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="96"/>
        <source>The endpoint must look like http://host:port, https://host:port, tcp://host:port or ssl://host:port.</source>
        <translation>Der Endpoint muss die Form http://host:port, https://host:port, tcp://host:port oder ssl://host:port haben.</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="99"/>
        <source>Enter a database name (_system is the default).</source>
        <translation>Geben Sie einen Datenbanknamen ein (Standard ist _system).</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="128"/>
        <source>Connected: %1 (CouchDB replication protocol).</source>
        <translation>Verbunden: %1 (CouchDB-Replikationsprotokoll).</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="129"/>
        <source>Connected: %1.</source>
        <translation>Verbunden: %1.</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="122"/>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="136"/>
        <source>Refused: the server&apos;s TLS certificate changed (SHA-256 %1, trusted was %2).</source>
        <translation>Abgelehnt: Das TLS-Zertifikat des Servers hat sich geändert (SHA-256 %1, vertraut wurde %2).</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="140"/>
        <source>The server&apos;s TLS certificate is not trusted (%1; SHA-256 %2). Save the server to review the certificate and trust it.</source>
        <translation>Dem TLS-Zertifikat des Servers wird nicht vertraut (%1; SHA-256 %2). Speichern Sie den Server, um das Zertifikat zu prüfen und ihm zu vertrauen.</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="144"/>
        <source>The server refused the user or password (HTTP 401).</source>
        <translation>Der Server hat Benutzer oder Passwort abgelehnt (HTTP 401).</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="146"/>
        <source>No answer: %1</source>
        <translation>Keine Antwort: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerDialog.cpp" line="148"/>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1: %2</translation>
    </message>
</context>
<context>
    <name>repl::gui::ServerListModel</name>
    <message>
        <location filename="../src/gui/ServerList.cpp" line="51"/>
        <source>%1
%2 (database %3, user %4)
%5</source>
        <translation>%1
%2 (Datenbank %3, Benutzer %4)
%5</translation>
    </message>
</context>
<context>
    <name>repl::gui::ServerSession</name>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="72"/>
        <source>refused: the TLS certificate changed (pinned SHA-256 %1, now %2)</source>
        <translation>abgelehnt: Das TLS-Zertifikat hat sich geändert (festgelegt SHA-256 %1, jetzt %2)</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="74"/>
        <source>TLS certificate not trusted (SHA-256 %1): %2</source>
        <translation>TLS-Zertifikat nicht vertrauenswürdig (SHA-256 %1): %2</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="81"/>
        <source>TLS problem: %1</source>
        <translation>TLS-Problem: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="82"/>
        <source>unreachable: %1</source>
        <translation>nicht erreichbar: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="87"/>
        <source>authentication failed (HTTP %1): check user and password</source>
        <translation>Authentifizierung fehlgeschlagen (HTTP %1): Prüfen Sie Benutzer und Passwort</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="90"/>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1: %2</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="136"/>
        <source>connected: %1</source>
        <translation>verbunden: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="179"/>
        <source>connected: %1 (CouchDB replication protocol)</source>
        <translation>verbunden: %1 (CouchDB-Replikationsprotokoll)</translation>
    </message>
    <message>
        <location filename="../src/gui/ServerSession.cpp" line="181"/>
        <source> — %1</source>
        <translation> — %1</translation>
    </message>
</context>
<context>
    <name>repl::gui::SyncDialog</name>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="30"/>
        <source>%1 — %2, database %3</source>
        <translation>%1 — %2, Datenbank %3</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="32"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="33"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="34"/>
        <source>only these</source>
        <translation>nur diese</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="35"/>
        <source>all except these</source>
        <translation>alle außer diesen</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="37"/>
        <source>Type the database name &lt;b&gt;%1&lt;/b&gt; to confirm:</source>
        <translation>Geben Sie zur Bestätigung den Datenbanknamen &lt;b&gt;%1&lt;/b&gt; ein:</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="39"/>
        <source>Collection</source>
        <translation>Collection</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="39"/>
        <source>What happens</source>
        <translation>Was passiert</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="40"/>
        <source>Local documents purged</source>
        <translation>Lokale Dokumente entfernt</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="41"/>
        <source>Leader documents copied</source>
        <translation>Leader-Dokumente kopiert</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="62"/>
        <source>Run the preview to see what will be purged and copied.</source>
        <translation>Führen Sie die Vorschau aus, um zu sehen, was entfernt und kopiert wird.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="77"/>
        <source>applier stopped</source>
        <translation>Applier gestoppt</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="77"/>
        <source>before a sync</source>
        <translation>vor einem Sync</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="94"/>
        <source>applier started</source>
        <translation>Applier gestartet</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="94"/>
        <source>from tick %1</source>
        <translation>ab Tick %1</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="166"/>
        <source>This server keeps what the sync purges as a restore point (Server ▸ Restore points…).</source>
        <translation>Dieser Server behält, was der Sync löscht, als Wiederherstellungspunkt (Server ▸ Wiederherstellungspunkte…).</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="182"/>
        <source>Add the leader to the server list first.</source>
        <translation>Fügen Sie den Leader zuerst der Serverliste hinzu.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="185"/>
        <source>Name the collections to restrict the sync to, or choose &quot;all&quot;.</source>
        <translation>Nennen Sie die Collections, auf die der Sync beschränkt werden soll, oder wählen Sie „alle“.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="187"/>
        <source>Reading both inventories…</source>
        <translation>Beide Inventare werden gelesen …</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="195"/>
        <source>The preview failed; nothing was changed.</source>
        <translation>Die Vorschau ist fehlgeschlagen; nichts wurde geändert.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="219"/>
        <source>%1 local documents will be purged and %2 documents copied from the leader (its log is at tick %3). Nothing has been changed yet.</source>
        <translation>%1 lokale Dokumente werden gelöscht und %2 Dokumente vom Leader kopiert (sein Log steht bei Tick %3). Noch wurde nichts geändert.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="202"/>
        <source>dropped and copied</source>
        <translation>gelöscht und neu kopiert</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="203"/>
        <source>copied (new here)</source>
        <translation>kopiert (hier neu)</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="204"/>
        <source>kept as it is</source>
        <translation>bleibt unverändert</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="236"/>
        <source>Stop the applier first.</source>
        <translation>Stoppen Sie zuerst den Applier.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="237"/>
        <source>Run the preview first.</source>
        <translation>Führen Sie zuerst die Vorschau aus.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="238"/>
        <source>Type the database name to confirm.</source>
        <translation>Geben Sie zur Bestätigung den Datenbanknamen ein.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="247"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="255"/>
        <source>Backing up %1 before the sync…</source>
        <translation>%1 wird vor dem Sync gesichert…</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="282"/>
        <source>Nothing was synced.</source>
        <translation>Es wurde nichts synchronisiert.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="283"/>
        <source>The backup before the sync failed: %1</source>
        <translation>Das Backup vor dem Sync ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="287"/>
        <source>backup before sync</source>
        <translation>Backup vor dem Sync</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="288"/>
        <source>Backed up into %1.</source>
        <translation>Gesichert nach %1.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="298"/>
        <source>Backed up into %1. Starting the sync…</source>
        <translation>Gesichert nach %1. Der Sync startet…</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="300"/>
        <source>Starting the sync…</source>
        <translation>Sync wird gestartet…</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="312"/>
        <source>sync failed</source>
        <translation>Sync fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="320"/>
        <source>Done: %1 collections copied. The leader&apos;s log was at tick %2; start the applier from there so nothing is missed.</source>
        <translation>Fertig: %1 Collections kopiert. Das Log des Leaders stand bei Tick %2; starten Sie den Applier ab dort, damit nichts verloren geht.</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="327"/>
        <source>sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="328"/>
        <source>from %1, lastLogTick %2</source>
        <translation>von %1, lastLogTick %2</translation>
    </message>
    <message>
        <location filename="../src/gui/SyncDialog.cpp" line="354"/>
        <source>%1 — %2 of %3 documents</source>
        <translation>%1 — %2 von %3 Dokumenten</translation>
    </message>
</context>
<context>
    <name>repl::gui::TlsTrustDialog</name>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="55"/>
        <source>Certificate changed — %1</source>
        <translation>Zertifikat geändert — %1</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="56"/>
        <source>Untrusted certificate — %1</source>
        <translation>Nicht vertrauenswürdiges Zertifikat — %1</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="65"/>
        <source>The certificate of %1 has changed since you trusted it.</source>
        <translation>Das Zertifikat von %1 hat sich geändert, seit Sie ihm vertraut haben.</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="66"/>
        <source>ReplDesk cannot verify the certificate of %1.</source>
        <translation>ReplDesk kann das Zertifikat von %1 nicht überprüfen.</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="75"/>
        <source>ReplDesk refuses to connect: someone may be intercepting the connection, or the server was given a new certificate. Trust the new certificate only if you know it was replaced and its fingerprint is the one below.</source>
        <translation>ReplDesk verweigert die Verbindung: Jemand könnte die Verbindung abfangen, oder der Server hat ein neues Zertifikat erhalten. Vertrauen Sie dem neuen Zertifikat nur, wenn Sie wissen, dass es ersetzt wurde und sein Fingerabdruck der unten angezeigte ist.</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="78"/>
        <source>No certificate authority this computer trusts vouches for it. If it is the server&apos;s own certificate (compare the fingerprint with the one the server shows), you can trust it: ReplDesk then accepts exactly this certificate from this server and refuses any other.</source>
        <translation>Keine Zertifizierungsstelle, der dieser Computer vertraut, bürgt dafür. Wenn es das eigene Zertifikat des Servers ist (vergleichen Sie den Fingerabdruck mit dem, den der Server anzeigt), können Sie ihm vertrauen: ReplDesk akzeptiert dann genau dieses Zertifikat von diesem Server und lehnt jedes andere ab.</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="89"/>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="90"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="91"/>
        <source>Subject:</source>
        <translation>Inhaber:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="92"/>
        <source>Issuer:</source>
        <translation>Aussteller:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="98"/>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="102"/>
        <source>Valid:</source>
        <translation>Gültig:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="105"/>
        <source>Problem:</source>
        <translation>Problem:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="107"/>
        <source>Trusted before:</source>
        <translation>Bisher vertraut:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="108"/>
        <source>Presented now:</source>
        <translation>Jetzt vorgelegt:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="111"/>
        <source>SHA-256 fingerprint:</source>
        <translation>SHA-256-Fingerabdruck:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="116"/>
        <source>repldesk-server prints its fingerprint when it starts. From a certificate file:</source>
        <translation>repldesk-server gibt seinen Fingerabdruck beim Start aus. Aus einer Zertifikatsdatei:</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="129"/>
        <source>&amp;Trust the new certificate</source>
        <translation>Dem neuen Zertifikat &amp;vertrauen</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="130"/>
        <source>&amp;Trust this certificate</source>
        <translation>Diesem Zertifikat &amp;vertrauen</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="133"/>
        <source>&amp;Keep refusing</source>
        <translation>Weiter &amp;ablehnen</translation>
    </message>
    <message>
        <location filename="../src/gui/TlsTrustDialog.cpp" line="133"/>
        <source>&amp;Do not trust</source>
        <translation>&amp;Nicht vertrauen</translation>
    </message>
</context>
<context>
    <name>repl::gui::TransferWorker</name>
    <message numerus="yes">
        <location filename="../src/gui/TransferWorker.h" line="39"/>
        <source>Backed up %1: %n document(s) in %2 (%3).</source>
        <translation>
            <numerusform>%1 gesichert: %n Dokument in %2 (%3).</numerusform>
            <numerusform>%1 gesichert: %n Dokumente in %2 (%3).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/TransferWorker.h" line="72"/>
        <source>Restored %1: %n document(s); %2 replaced.</source>
        <translation>
            <numerusform>%1 wiederhergestellt: %n Dokument; %2 ersetzt.</numerusform>
            <numerusform>%1 wiederhergestellt: %n Dokumente; %2 ersetzt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>repl::ops::BackupJob</name>
    <message>
        <location filename="../src/ops/Backup.cpp" line="115"/>
        <source>&apos;%1&apos; is a file: give a folder that does not exist yet.</source>
        <translation>„%1“ ist eine Datei: Geben Sie einen Ordner an, der noch nicht existiert.</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="120"/>
        <source>The folder &apos;%1&apos; is not empty: a backup never overwrites one; give a new folder or remove it.</source>
        <translation>Der Ordner „%1“ ist nicht leer: Ein Backup überschreibt nie einen Ordner; geben Sie einen neuen Ordner an oder entfernen Sie diesen.</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="129"/>
        <source>Cannot create the folder &apos;%1&apos;: check the path and its permissions.</source>
        <translation>Der Ordner „%1“ kann nicht angelegt werden: Prüfen Sie den Pfad und seine Berechtigungen.</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="135"/>
        <source>Cannot write into &apos;%1&apos;: check its permissions.</source>
        <translation>In „%1“ kann nicht geschrieben werden: Prüfen Sie die Berechtigungen.</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="145"/>
        <location filename="../src/ops/Backup.cpp" line="259"/>
        <location filename="../src/ops/Backup.cpp" line="326"/>
        <location filename="../src/ops/Backup.cpp" line="438"/>
        <location filename="../src/ops/Backup.cpp" line="459"/>
        <source>Cannot write &apos;%1&apos;: %2 (is the disk full?)</source>
        <translation>„%1“ kann nicht geschrieben werden: %2 (ist der Datenträger voll?)</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="169"/>
        <source>The backup is complete in &apos;%1&apos; but could not be renamed to &apos;%2&apos;: rename it yourself.</source>
        <translation>Das Backup in „%1“ ist vollständig, konnte aber nicht in „%2“ umbenannt werden: Benennen Sie es selbst um.</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="211"/>
        <source>cannot read the inventory of &apos;%1&apos;: %2</source>
        <translation>Inventar von „%1“ nicht lesbar: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="272"/>
        <location filename="../src/ops/Backup.cpp" line="367"/>
        <source>Cannot write &apos;%1&apos;: %2</source>
        <translation>„%1“ kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="304"/>
        <source>cannot dump &apos;%1&apos;: %2</source>
        <translation>Dump von „%1“ fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="313"/>
        <source>The server sent a dump line of &apos;%1&apos; that is not JSON: %2</source>
        <translation>Der Server hat eine Dump-Zeile von „%1“ gesendet, die kein JSON ist: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="355"/>
        <source>The server has no database &apos;%1&apos;: check --database (the CouchDB database to back up).</source>
        <translation>Der Server hat keine Datenbank „%1“: Prüfen Sie --database (die zu sichernde CouchDB-Datenbank).</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="360"/>
        <source>cannot read database &apos;%1&apos;: %2</source>
        <translation>Datenbank „%1“ nicht lesbar: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="387"/>
        <source>cannot read the changes of &apos;%1&apos;: %2</source>
        <translation>Änderungen von „%1“ nicht lesbar: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="420"/>
        <source>cannot read the revisions of &apos;%1&apos; in &apos;%2&apos;: %3</source>
        <translation>Revisionen von „%1“ in „%2“ nicht lesbar: %3</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="424"/>
        <source>The server answered the revisions of &apos;%1&apos; in &apos;%2&apos; with something other than a JSON array; it may not honour Accept: application/json.</source>
        <translation>Der Server hat die Revisionen von „%1“ in „%2“ nicht als JSON-Array geliefert; möglicherweise beachtet er Accept: application/json nicht.</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="495"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="501"/>
        <source>The backup was cancelled; nothing was kept (the partial folder is removed).</source>
        <translation>Das Backup wurde abgebrochen; nichts wurde behalten (der unvollständige Ordner wird entfernt).</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="517"/>
        <source>No database given: name the database to back up.</source>
        <translation>Keine Datenbank angegeben: Nennen Sie die zu sichernde Datenbank.</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="528"/>
        <source>%1 is neither an ArangoDB-kind nor a CouchDB-kind server: nothing to back up.</source>
        <translation>%1 ist weder ein Server vom Typ ArangoDB noch vom Typ CouchDB: nichts zu sichern.</translation>
    </message>
    <message>
        <location filename="../src/ops/Backup.cpp" line="536"/>
        <source>cannot identify the server: %1</source>
        <translation>Server nicht erkennbar: %1</translation>
    </message>
</context>
<context>
    <name>repl::ops::Dialect</name>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="128"/>
        <source>an unknown server</source>
        <translation>ein unbekannter Server</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="136"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="142"/>
        <source>ArangoDB ≥ 3.12.10</source>
        <translation>ArangoDB ≥ 3.12.10</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="154"/>
        <source>The server has not been reached yet, so what it can do is not known.</source>
        <translation>Der Server wurde noch nicht erreicht; was er kann, ist daher nicht bekannt.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="162"/>
        <source>%1 has no replication log to tail: follow one database&apos;s changes (_changes) in the app&apos;s Live log instead.</source>
        <translation>%1 hat kein Replikationslog zum Mitlesen: Folgen Sie stattdessen den Änderungen einer Datenbank (_changes) im Live-Log der App.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="169"/>
        <source>%1 has no metrics in Prometheus&apos; format: CouchDB serves them at /_node/_local/_prometheus from 3.2 on (its other figures are in /_node/_local/_stats).</source>
        <translation>%1 hat keine Metriken im Prometheus-Format: CouchDB liefert sie ab 3.2 unter /_node/_local/_prometheus (seine übrigen Kennzahlen stehen in /_node/_local/_stats).</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="173"/>
        <source>%1 serves no metrics in Prometheus&apos; format.</source>
        <translation>%1 liefert keine Metriken im Prometheus-Format.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="175"/>
        <source>%1 speaks CouchDB&apos;s replication protocol: it has no ArangoDB logger, applier or sync; use Replications (_replicator, /_replicate) instead.</source>
        <translation>%1 spricht das Replikationsprotokoll von CouchDB: Es gibt keinen ArangoDB-Logger, -Applier oder -Sync; verwenden Sie stattdessen Replikationen (_replicator, /_replicate).</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="189"/>
        <source>%1 has no metrics in Prometheus&apos; format: ArangoDB serves them at /_admin/metrics/v2 from 3.8 on.</source>
        <translation>%1 hat keine Metriken im Prometheus-Format: ArangoDB liefert sie ab 3.8 unter /_admin/metrics/v2.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="195"/>
        <source>%1 has no CouchDB replication protocol (/_replicate); use its inventory, dump and log instead.</source>
        <translation>%1 hat kein CouchDB-Replikationsprotokoll (/_replicate); verwenden Sie stattdessen Inventar, Dump und Log.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="201"/>
        <source>%1 writes every change to its write-ahead log by itself (since 3.0): its logger cannot be started, stopped or configured.</source>
        <translation>%1 schreibt jede Änderung selbst in sein Write-Ahead-Log (seit 3.0): Sein Logger kann nicht gestartet, gestoppt oder konfiguriert werden.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="207"/>
        <source>%1 keeps no restore points: what a sync purges there is gone; back the database up first.</source>
        <translation>%1 behält keine Wiederherstellungspunkte: Was ein Sync dort löscht, ist weg; sichern Sie die Datenbank vorher.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="213"/>
        <source>%1 has no dry run: a sync there purges and copies at once, so the preview is computed here from both inventories.</source>
        <translation>%1 kennt keinen Probelauf: Ein Sync löscht und kopiert dort sofort, daher wird die Vorschau hier aus beiden Inventaren berechnet.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="220"/>
        <source>%1 removed leader/follower replication (applier, sync, logger-follow and server-id answer &quot;invalid command&quot;): it can still lead a ReplDesk follower through /_api/wal/tail, but to follow another server use a cluster, or copy data in with arangodump/arangorestore or a ReplDesk backup.</source>
        <translation>%1 hat die Leader/Follower-Replikation entfernt (applier, sync, logger-follow und server-id antworten „invalid command“): Er kann über /_api/wal/tail weiterhin einen ReplDesk-Follower anführen; um einem anderen Server zu folgen, verwenden Sie einen Cluster oder kopieren Sie Daten mit arangodump/arangorestore oder einem ReplDesk-Backup.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="234"/>
        <source>The sync failed; the database is as it was.</source>
        <translation>Der Sync ist fehlgeschlagen; die Datenbank ist unverändert.</translation>
    </message>
    <message>
        <location filename="../src/ops/Dialect.cpp" line="235"/>
        <source>The sync failed. %1 purges each collection before copying it, so some collections may now be empty or partly copied: check the Inventory and run the sync again.</source>
        <translation>Der Sync ist fehlgeschlagen. %1 leert jede Collection, bevor er sie kopiert; einige Collections können jetzt leer oder nur teilweise kopiert sein: Prüfen Sie das Inventar und starten Sie den Sync erneut.</translation>
    </message>
</context>
<context>
    <name>repl::ops::MetricsReader</name>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="218"/>
        <source>unknown type &apos;%1&apos; of %2 (counter, gauge, histogram, summary or untyped)</source>
        <translation>unbekannter Typ „%1“ von %2 (counter, gauge, histogram, summary oder untyped)</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="223"/>
        <source>a second TYPE line for %1 says %2, the first said %3</source>
        <translation>eine zweite TYPE-Zeile für %1 sagt %2, die erste sagte %3</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="226"/>
        <source>the TYPE line for %1 comes after its samples</source>
        <translation>die TYPE-Zeile für %1 steht nach ihren Werten</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="243"/>
        <source>the %1 line names no metric</source>
        <translation>die %1-Zeile nennt keine Metrik</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="245"/>
        <location filename="../src/ops/Metrics.cpp" line="314"/>
        <source>&apos;%1&apos; is not a metric name</source>
        <translation>„%1“ ist kein Metrikname</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="256"/>
        <source>the TYPE line of %1 gives no type</source>
        <translation>die TYPE-Zeile von %1 nennt keinen Typ</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="258"/>
        <source>unexpected &apos;%1&apos; after the TYPE line of %2</source>
        <translation>unerwartetes „%1“ nach der TYPE-Zeile von %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="273"/>
        <source>the labels of %1 are not closed with &apos;}&apos;</source>
        <translation>die Labels von %1 werden nicht mit „}“ geschlossen</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="276"/>
        <source>expected a label name in %1, found &apos;%2&apos;</source>
        <translation>Labelname in %1 erwartet, „%2“ gefunden</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="281"/>
        <source>label %1 of %2 has no &apos;=&apos;</source>
        <translation>Label %1 von %2 hat kein „=“</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="286"/>
        <source>the value of label %1 of %2 is not in double quotes</source>
        <translation>der Wert von Label %1 von %2 steht nicht in doppelten Anführungszeichen</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="291"/>
        <source>the value of label %1 of %2 has no closing &apos;&quot;&apos;</source>
        <translation>dem Wert von Label %1 von %2 fehlt das schließende „&quot;“</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="296"/>
        <source>label %1 is given twice in %2</source>
        <translation>Label %1 kommt in %2 zweimal vor</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="302"/>
        <source>expected &apos;,&apos; or &apos;}&apos; after label %1 of %2</source>
        <translation>„,“ oder „}“ nach Label %1 von %2 erwartet</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="311"/>
        <source>expected a metric name, found &apos;%1&apos;</source>
        <translation>Metrikname erwartet, „%1“ gefunden</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="322"/>
        <source>%1 has no value</source>
        <translation>%1 hat keinen Wert</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="326"/>
        <source>&apos;%1&apos; is not a number (the value of %2)</source>
        <translation>„%1“ ist keine Zahl (der Wert von %2)</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="334"/>
        <source>&apos;%1&apos; is not a timestamp in milliseconds (after the value of %2)</source>
        <translation>„%1“ ist kein Zeitstempel in Millisekunden (nach dem Wert von %2)</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="339"/>
        <source>unexpected &apos;%1&apos; after the timestamp of %2</source>
        <translation>unerwartetes „%1“ nach dem Zeitstempel von %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Metrics.cpp" line="409"/>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
</context>
<context>
    <name>repl::ops::RestoreJob</name>
    <message>
        <location filename="../src/ops/Restore.cpp" line="227"/>
        <source>The backup names no database: give the target database.</source>
        <translation>Das Backup nennt keine Datenbank: Geben Sie die Zieldatenbank an.</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="239"/>
        <source>This is an arangodump backup; %1 is not an ArangoDB-kind server (restore it into ReplDesk or ArangoDB).</source>
        <translation>Dies ist ein arangodump-Backup; %1 ist kein Server vom Typ ArangoDB (stellen Sie es in ReplDesk oder ArangoDB wieder her).</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="245"/>
        <source>This is a CouchDB backup; %1 speaks no CouchDB protocol (restore it into CouchDB, pouchdb-server or ReplDesk).</source>
        <translation>Dies ist ein CouchDB-Backup; %1 spricht kein CouchDB-Protokoll (stellen Sie es in CouchDB, pouchdb-server oder ReplDesk wieder her).</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="256"/>
        <source>cannot identify the server: %1</source>
        <translation>Server nicht erkennbar: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="267"/>
        <source>cannot list the target&apos;s databases: %1</source>
        <translation>Datenbanken des Ziels können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="276"/>
        <source>cannot read the target&apos;s inventory: %1</source>
        <translation>Inventar des Ziels nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="316"/>
        <source>cannot read database &apos;%1&apos; on the target: %2</source>
        <translation>Datenbank „%1“ auf dem Ziel nicht lesbar: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="350"/>
        <location filename="../src/ops/Restore.cpp" line="372"/>
        <location filename="../src/ops/Restore.cpp" line="472"/>
        <source>Cannot read &apos;%1&apos;: %2</source>
        <translation>„%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="367"/>
        <location filename="../src/ops/Restore.cpp" line="396"/>
        <source>cannot create database &apos;%1&apos;: %2</source>
        <translation>Datenbank „%1“ kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="383"/>
        <source>cannot drop database &apos;%1&apos;: %2</source>
        <translation>Datenbank „%1“ kann nicht gelöscht werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="422"/>
        <source>cannot create collection &apos;%1&apos;: %2</source>
        <translation>Collection „%1“ kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="438"/>
        <source>cannot drop collection &apos;%1&apos;: %2</source>
        <translation>Collection „%1“ kann nicht gelöscht werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="458"/>
        <source>cannot create an index on &apos;%1&apos; (%2): %3</source>
        <translation>Index auf „%1“ (%2) kann nicht angelegt werden: %3</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="499"/>
        <source>cannot import documents into &apos;%1&apos;: %2</source>
        <translation>Dokumente können nicht in „%1“ importiert werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="526"/>
        <source>cannot write revisions into &apos;%1&apos;: %2</source>
        <translation>Revisionen können nicht in „%1“ geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="531"/>
        <source>the target refused revision %1 of &apos;%2&apos;: %3 (%4)</source>
        <translation>das Ziel hat Revision %1 von „%2“ abgelehnt: %3 (%4)</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="558"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="564"/>
        <source>The restore was cancelled; what was written so far stays (run the restore again to replace it).</source>
        <translation>Die Wiederherstellung wurde abgebrochen; was bisher geschrieben wurde, bleibt erhalten (führen Sie die Wiederherstellung erneut aus, um es zu ersetzen).</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="572"/>
        <location filename="../src/ops/Restore.cpp" line="586"/>
        <source>This restore is running already.</source>
        <translation>Diese Wiederherstellung läuft bereits.</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="598"/>
        <source>Not confirmed: a restore replaces collections of database &apos;%1&apos;; confirm with its exact name (got &apos;%2&apos;).</source>
        <translation>Nicht bestätigt: Eine Wiederherstellung ersetzt Collections der Datenbank „%1“; bestätigen Sie mit ihrem genauen Namen (eingegeben: „%2“).</translation>
    </message>
</context>
<context>
    <name>repl::ops::ServerOps</name>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="27"/>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="30"/>
        <source>authentication failed (HTTP %1): check user and password</source>
        <translation>Anmeldung fehlgeschlagen (HTTP %1): Benutzer und Passwort prüfen</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="36"/>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="37"/>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="62"/>
        <source>cannot identify the server: %1</source>
        <translation>Server nicht erkennbar: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="153"/>
        <source>cannot open a replication batch: %1</source>
        <translation>Replikations-Batch kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="231"/>
        <source>cannot count %1: %2</source>
        <translation>%1 kann nicht gezählt werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="346"/>
        <source>the server&apos;s answer is not a retention (keep, maxBytes): %1</source>
        <translation>die Antwort des Servers ist keine Aufbewahrung (keep, maxBytes): %1</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="372"/>
        <source>nothing to change: give the number of restore points to keep, the size limit, or both</source>
        <translation>nichts zu ändern: Geben Sie die Zahl der zu behaltenden Wiederherstellungspunkte an, die Größengrenze oder beides</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="375"/>
        <source>the number of restore points to keep must be from 0 to %1, not %2</source>
        <translation>die Zahl der zu behaltenden Wiederherstellungspunkte muss zwischen 0 und %1 liegen, nicht %2</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOps.cpp" line="379"/>
        <source>the size limit of the restore points must be from 0 (no limit) to %1 bytes, not %2</source>
        <translation>die Größengrenze der Wiederherstellungspunkte muss zwischen 0 (keine Grenze) und %1 Bytes liegen, nicht %2</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsRead.cpp" line="190"/>
        <source>cannot list its databases (%1)</source>
        <translation>seine Datenbanken können nicht aufgelistet werden (%1)</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsRead.cpp" line="222"/>
        <source>unavailable (HTTP %1)</source>
        <translation>nicht verfügbar (HTTP %1)</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsSync.cpp" line="38"/>
        <source>The leader endpoint &apos;%1&apos; is not a valid endpoint (tcp://, ssl://, http:// or https://host:port).</source>
        <translation>Der Leader-Endpunkt „%1“ ist kein gültiger Endpunkt (tcp://, ssl://, http:// oder https://host:port).</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsSync.cpp" line="55"/>
        <source>cannot reach the leader: %1</source>
        <translation>Leader nicht erreichbar: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsSync.cpp" line="57"/>
        <source>The leader, %1, has no ArangoDB replication API to sync from; use Replications instead.</source>
        <translation>Der Leader, %1, hat keine ArangoDB-Replikations-API für einen Sync; verwenden Sie stattdessen Replikationen.</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsSync.cpp" line="62"/>
        <source>cannot read the leader&apos;s inventory: %1</source>
        <translation>Inventar des Leaders nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsSync.cpp" line="68"/>
        <source>cannot read this server&apos;s inventory: %1</source>
        <translation>Inventar dieses Servers nicht lesbar: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsSync.cpp" line="102"/>
        <source>Not confirmed: a sync purges database &apos;%1&apos;; confirm with its exact name (got &apos;%2&apos;).</source>
        <translation>Nicht bestätigt: Ein Sync leert die Datenbank „%1“; bestätigen Sie mit ihrem genauen Namen (eingegeben: „%2“).</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsMetrics.cpp" line="20"/>
        <source>%1 asks for a user and password to read its metrics (HTTP 401): check the ones given for this server.</source>
        <translation>%1 verlangt Benutzer und Passwort, um seine Metriken zu lesen (HTTP 401): Prüfen Sie die für diesen Server angegebenen.</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsMetrics.cpp" line="25"/>
        <source>%1 does not let this user read its metrics (HTTP 403): use a server administrator or a user with the _metrics role.</source>
        <translation>%1 lässt diesen Benutzer seine Metriken nicht lesen (HTTP 403): Verwenden Sie einen Server-Administrator oder einen Benutzer mit der Rolle _metrics.</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsMetrics.cpp" line="28"/>
        <source>%1 does not let this user read its metrics (HTTP 403): use a user with the rights to read them.</source>
        <translation>%1 lässt diesen Benutzer seine Metriken nicht lesen (HTTP 403): Verwenden Sie einen Benutzer mit dem Recht, sie zu lesen.</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsMetrics.cpp" line="33"/>
        <source>%1 answered 404 for %2: its metrics API is switched off (started with --server.export-metrics-api false).</source>
        <translation>%1 antwortete 404 auf %2: Seine Metrik-API ist abgeschaltet (gestartet mit --server.export-metrics-api false).</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsMetrics.cpp" line="36"/>
        <source>%1 answered 404 for %2: it serves no metrics there.</source>
        <translation>%1 antwortete 404 auf %2: Dort liefert er keine Metriken.</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsMetrics.cpp" line="38"/>
        <source>cannot read the metrics: %1</source>
        <translation>Die Metriken können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../src/ops/ServerOpsMetrics.cpp" line="71"/>
        <source>the metrics of %1 are not in Prometheus&apos; text format: %2</source>
        <translation>die Metriken von %1 sind nicht im Textformat von Prometheus: %2</translation>
    </message>
</context>
<context>
    <name>repl::ops::detail</name>
    <message>
        <location filename="../src/ops/Restore.cpp" line="57"/>
        <source>There is no folder &apos;%1&apos;: give the folder a backup wrote.</source>
        <translation>Es gibt keinen Ordner „%1“: Geben Sie den Ordner an, den ein Backup geschrieben hat.</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="63"/>
        <source>Cannot read &apos;%1&apos;: %2</source>
        <translation>„%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="69"/>
        <source>&apos;%1&apos; is not a JSON object (%2): the backup is damaged.</source>
        <translation>„%1“ ist kein JSON-Objekt (%2): Das Backup ist beschädigt.</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="81"/>
        <source>&apos;%1&apos; is not a manifest this version can read (format %2, version %3).</source>
        <translation>„%1“ ist kein Manifest, das diese Version lesen kann (Format %2, Version %3).</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="94"/>
        <source>Cannot read &apos;%1&apos;, the backup&apos;s documents: the backup is incomplete.</source>
        <translation>„%1“ mit den Dokumenten des Backups kann nicht gelesen werden: Das Backup ist unvollständig.</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="102"/>
        <source>&apos;%1&apos; is not a backup: it has neither dump.json (arangodump&apos;s layout) nor couchdb.json (a CouchDB backup of ReplDesk).</source>
        <translation>„%1“ ist kein Backup: Darin gibt es weder dump.json (Layout von arangodump) noch couchdb.json (ein CouchDB-Backup von ReplDesk).</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="119"/>
        <source>&apos;%1&apos; names no collection (parameters.name): the backup is damaged.</source>
        <translation>„%1“ nennt keine Collection (parameters.name): Das Backup ist beschädigt.</translation>
    </message>
    <message>
        <location filename="../src/ops/Restore.cpp" line="127"/>
        <source>&apos;%1&apos; is compressed (arangodump --compress-output): unpack it with gunzip first.</source>
        <translation>„%1“ ist komprimiert (arangodump --compress-output): Entpacken Sie die Datei zuerst mit gunzip.</translation>
    </message>
</context>
</TS>
