#pragma once

#include "metrics/lagsnapshot.h"

#include <QColor>
#include <QString>

namespace cqrs::ui {

/// How a projection's state reads on screen: the badge (words and colour)
/// and the "behind" line, the same wherever a projection is shown.
struct ProjectionLook {
    QString badge;
    QColor colour;
    QString behind;
    QString behindToolTip;

    /// `inUse` false: CRUD, where the dashboard reads no view.
    static ProjectionLook of(const ProjectionLag& lag, bool inUse);
};

/// "120 ms", "2.5 s", or "time unknown" for NaN.
QString durationText(double ms);

} // namespace cqrs::ui
