cqrs_add_test(tst_tablemodels GUI SOURCES tst_tablemodels.cpp)
cqrs_add_test(tst_mainwindow GUI SOURCES tst_mainwindow.cpp TIMEOUT 400)
# The screenshot lands next to the test binary as a CI artifact.
target_compile_definitions(tst_mainwindow PRIVATE CQRS_SCREENSHOT_DIR="${CMAKE_CURRENT_BINARY_DIR}")
# The live charts: bounded points per series, spikes kept.
cqrs_add_test(tst_charts GUI SOURCES tst_charts.cpp)
# The checkout form alone, driven by mouse and keys: the cart actions that
# crashed, failures that say so, buttons and focus that stay put.
cqrs_add_test(tst_checkoutform GUI SOURCES tst_checkoutform.cpp)
# The live charts' y axis: outliers off scale, no scientific notation.
cqrs_add_test(tst_chartscale GUI SOURCES tst_chartscale.cpp)
# The window in moments a real lab reaches only by luck of timing, with a
# scripted session: a view emptied by a rebuild, a failing store, a stopped view.
cqrs_add_test(tst_windowmoments GUI SOURCES tst_windowmoments.cpp fakelabsession.h typing.h)
# A random person at the keyboard: 2,000 seeded clicks, keys, texts, drags
# and mode switches with traffic on; no crash, consistent models, converged views.
cqrs_add_test(tst_randomperson GUI SOURCES tst_randomperson.cpp readsupport.h testsupport.h windowsupport.h typing.h TIMEOUT 900)
# QTest's own watchdog (5 min per function by default) would abort the run
# before CTest's limit on a slow machine; let CTest's limit be the one.
set_property(TEST tst_randomperson APPEND PROPERTY ENVIRONMENT QTEST_FUNCTION_TIMEOUT=880000)
# The layering check (ui/checklayering.cmake) passes on ui/ and refuses a
# file that includes a Qt Sql header.
add_test(NAME check_ui_layering COMMAND ${CMAKE_COMMAND} -DDIR=${PROJECT_SOURCE_DIR}/ui -P ${PROJECT_SOURCE_DIR}/ui/checklayering.cmake)
add_test(NAME check_ui_layering_refuses_sql COMMAND ${CMAKE_COMMAND} -DDIR=${CMAKE_CURRENT_SOURCE_DIR}/data/layering
         -P ${PROJECT_SOURCE_DIR}/ui/checklayering.cmake)
set_tests_properties(check_ui_layering_refuses_sql PROPERTIES WILL_FAIL TRUE)
# The knobs alone: what does not apply says why; the traffic slider suits low rates.
cqrs_add_test(tst_controlspanel GUI SOURCES tst_controlspanel.cpp)
# The flow diagram and the consistency receipt: parts and edges per mode,
# tokens never ahead of the checkpoints, an order's receipt in a real window.
cqrs_add_test(tst_flowdiagram GUI SOURCES tst_flowdiagram.cpp windowsupport.h typing.h)
