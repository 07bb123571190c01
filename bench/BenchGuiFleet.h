#pragma once

#include "BenchTable.h"

#include <QList>

// bench_gui's fleet scenario (issue 14): the real window watching `servers` real
// repldesk-server processes, in groups of a leader and three followers, with the Overview
// (every server a row with its sparkline) and the first leader's Followers tab (its three
// followers charted) shown in turn while that leader takes a write load.
//   1. live: `seconds` of real time, the fleet polled every second;
//   2. the hour: `simSeconds` of polls in simulated time (the watcher's and the chart's clock
//      advance 1 s per round of polls), each round started as soon as the last one answered;
//   3. after: `afterSeconds` of real time again, with the hour's trails, charts and history.
// Each phase: the GUI thread's stalls (1 ms probe), the polls answered, the app's RSS.
struct FleetOptions
{
    int servers = 100;
    int seconds = 60;
    int rate = 2000; // documents/s written to the charted leader
    int simSeconds = 3600;
    int afterSeconds = 30;
    int switchMs = 3000; // Overview <-> Followers
    // The servers' nice value: in a real fleet they run on other machines; here they share
    // the 2 cores with the app, and at 0 the GUI thread waits for a core behind 100 servers.
    int serversNice = 10;
    // Or SCHED_IDLE: the servers run only when no thread of the app wants a core, closest to
    // their being elsewhere (the app's stalls are then its own; the nice value is not used).
    bool serversIdle = false;
    bool verbose = false;
};

QList<BenchRow> runFleetScenario(const FleetOptions &o);
