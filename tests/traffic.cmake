cqrs_add_test(tst_scenarios SOURCES tst_scenarios.cpp TIMEOUT 400)
cqrs_add_test(tst_analytics SOURCES tst_analytics.cpp)
