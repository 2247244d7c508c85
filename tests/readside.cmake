# The read side (issue #3): projections, the query side and lag. Included
# from tests/CMakeLists.txt, which defines cqrs_add_test(). readsupport.h
# holds the shared helpers (a Lab on a temporary directory, view and answer
# comparisons, a random command stream) on top of testsupport.h.

# The projectors' shared window on the log answers exactly like the log.
cqrs_add_test(tst_eventfeed SOURCES tst_eventfeed.cpp testsupport.h)
# The event panel's follower: every event once, in order, few batches.
cqrs_add_test(tst_eventstream SOURCES tst_eventstream.cpp testsupport.h)
# Views equal a replay of the log and the CRUD answers, in every architecture
# and across architecture switches, whatever the delays, pauses, rebuilds and
# however many threads the projectors share.
cqrs_add_test(tst_convergence SOURCES tst_convergence.cpp readsupport.h testsupport.h)
# A projector failing mid-batch keeps its last committed checkpoint and
# resumes from it after retry() or a restart, applying nothing twice.
cqrs_add_test(tst_projectorrestart SOURCES tst_projectorrestart.cpp readsupport.h testsupport.h workergate.h)
# Read-your-writes sees every order despite a 100 ms delay; eventual reads
# can miss; a paused view answers "still catching up" at the deadline.
cqrs_add_test(tst_readyourwrites SOURCES tst_readyourwrites.cpp readsupport.h testsupport.h)
# The lag monitor: p50 of an injected 200 ms delay, events/time behind.
cqrs_add_test(tst_lag SOURCES tst_lag.cpp readsupport.h testsupport.h)
# A poison event stops only its projection, once, without spinning.
cqrs_add_test(tst_poison SOURCES tst_poison.cpp readsupport.h testsupport.h workergate.h)
# Hostile search input never errors (FTS and CRUD); SearchQuery units.
cqrs_add_test(tst_search SOURCES tst_search.cpp readsupport.h testsupport.h)
# replayTo(N) is the fold of events 1..N and leaves the live views alone.
cqrs_add_test(tst_timetravel SOURCES tst_timetravel.cpp readsupport.h testsupport.h)
# Synchronous update: the views are current when the command's future resolves.
cqrs_add_test(tst_syncupdate SOURCES tst_syncupdate.cpp readsupport.h testsupport.h)
# SqlContext::statement(): the projections' statements on SQLite's C API, on
# the context's connection, schema-qualified, retried after a failed prepare.
cqrs_add_test(tst_sqlcontext SOURCES tst_sqlcontext.cpp)
# Golden files: tests/data/projections/events.jsonl folds into the .tsv rows beside it, in any batching.
cqrs_add_test(tst_projectiongolden SOURCES tst_projectiongolden.cpp testsupport.h)
target_compile_definitions(tst_projectiongolden PRIVATE CQRS_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")
target_link_libraries(tst_projectiongolden PRIVATE Qt6::Sql)
# Failures that used to pass in silence are states with their reason: a
# failing projector store, a starved checkpointer, an unknown commit time,
# a read store that cannot be attached for synchronous update.
cqrs_add_test(tst_storeproblems SOURCES tst_storeproblems.cpp readsupport.h testsupport.h)
# The consistency receipt: recorded times, in order, kept for the newest positions only.
cqrs_add_test(tst_receipts SOURCES tst_receipts.cpp readsupport.h testsupport.h)
