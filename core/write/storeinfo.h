#pragma once

#include "write/catalogsnapshot.h"

#include <QMetaType>
#include <QString>

namespace cqrs {

/// The answer to opening the write store: whether it opened, why not, the
/// counters it opened with, and whether the demo catalog was loaded into it.
struct StoreInfo
{
    bool ok = false;
    QString error;
    WriteCounters counters;
    bool seeded = false;
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::StoreInfo)
