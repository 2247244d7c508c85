cqrs_add_test(tst_scenarios SOURCES tst_scenarios.cpp TIMEOUT 400)
cqrs_add_test(tst_analytics SOURCES tst_analytics.cpp)
# CRUD runs on the rollback journal (a report holds commits back), the CQRS
# modes on WAL; reopening switches the journal and keeps the data.
cqrs_add_test(tst_journal SOURCES tst_journal.cpp readsupport.h testsupport.h)
# A lesson's fill: exactly the orders asked for, none of them measured.
cqrs_add_test(tst_fillorders SOURCES tst_fillorders.cpp)
