# Fails when a file of ui/ includes a Qt Sql header: the window sees the lab
# through core/lab/labsession.h only, and all data arrives as values.
# Run by the check_ui_layering target: cmake -DDIR=<ui folder> -P this file.
file(GLOB files "${DIR}/*.h" "${DIR}/*.cpp")
set(offenders "")
foreach(file IN LISTS files)
    file(STRINGS "${file}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](QtSql/|QSql)")
    if(hits)
        list(APPEND offenders "${file}: ${hits}")
    endif()
endforeach()
if(offenders)
    list(JOIN offenders "\n  " text)
    message(FATAL_ERROR "ui/ must not include Qt Sql headers (SQL belongs to core's query side):\n  ${text}")
endif()
