cqrs_add_test(tst_tablemodels GUI SOURCES tst_tablemodels.cpp)
cqrs_add_test(tst_mainwindow GUI SOURCES tst_mainwindow.cpp TIMEOUT 400)
# The screenshot lands next to the test binary as a CI artifact.
target_compile_definitions(tst_mainwindow PRIVATE CQRS_SCREENSHOT_DIR="${CMAKE_CURRENT_BINARY_DIR}")
# The live charts: bounded points per series, spikes kept.
cqrs_add_test(tst_charts GUI SOURCES tst_charts.cpp)
