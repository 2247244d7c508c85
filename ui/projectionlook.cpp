#include "ui/projectionlook.h"

#include "util/money.h"

#include <QCoreApplication>

#include <cmath>

namespace cqrs::ui {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("ProjectionLook", text);
}
} // namespace

QString durationText(double ms) {
    if (!std::isfinite(ms))
        return tr("time unknown");
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(qRound(ms));
    return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 1);
}

ProjectionLook ProjectionLook::of(const ProjectionLag& lag, bool inUse) {
    const ProjectionStatus& s = lag.status;
    ProjectionLook look;
    switch (s.state) {
    case ProjectionState::Failed:
        look.badge = tr("failed");
        look.colour = QColor(0xc0, 0x39, 0x2b);
        break;
    case ProjectionState::Paused:
        look.badge = tr("paused");
        look.colour = QColor(0x7f, 0x8c, 0x8d);
        break;
    case ProjectionState::Rebuilding:
        look.badge = tr("rebuilding");
        look.colour = QColor(0x2c, 0x6f, 0xbb);
        break;
    case ProjectionState::Starting:
        look.badge = tr("starting");
        look.colour = QColor(0x7f, 0x8c, 0x8d);
        break;
    case ProjectionState::CatchingUp:
        look.badge = tr("catching up");
        look.colour = QColor(0xd6, 0x89, 0x10);
        break;
    case ProjectionState::Live:
        // Behind on purpose: waiting out the injected delay.
        if (lag.eventsBehind > 0 && s.knobs.delayApplies()) {
            look.badge = tr("live (delayed)");
            look.colour = QColor(0xb7, 0x95, 0x0b);
        } else {
            look.badge = tr("live");
            look.colour = QColor(0x1e, 0x84, 0x49);
        }
        break;
    }
    if (!inUse && s.state != ProjectionState::Failed) {
        look.badge = tr("not in use");
        look.colour = QColor(0x95, 0xa5, 0xa6);
    }

    if (!inUse) {
        look.behind = tr("not in use");
        look.behindToolTip =
            tr("CRUD: the dashboard reads the write tables. The projector still folds the %1 "
               "view, so a switch back to CQRS is instant.")
                .arg(s.title);
    } else if (s.state == ProjectionState::Rebuilding && s.rebuildTarget > 0) {
        look.behind = tr("rebuilding: %1%").arg(100 * s.rebuildDone / s.rebuildTarget);
        look.behindToolTip = tr("Replaying the log into the emptied view: %1 of %2 events")
                                 .arg(formatCount(s.rebuildDone), formatCount(s.rebuildTarget));
    } else if (lag.eventsBehind == 0) {
        look.behind = tr("caught up");
        look.behindToolTip = tr("Every committed event is in this view.");
    } else {
        look.behind =
            tr("%1 behind · %2").arg(formatCount(lag.eventsBehind), durationText(lag.timeBehindMs));
        look.behindToolTip =
            !lag.timeBehindProblem.isEmpty()
                ? tr("%1 events not yet applied. %2")
                      .arg(formatCount(lag.eventsBehind), lag.timeBehindProblem)
                : tr("%1 events not yet applied; the oldest has waited %2")
                      .arg(formatCount(lag.eventsBehind), durationText(lag.timeBehindMs));
    }
    if (!s.notice.isEmpty())
        look.behindToolTip = s.notice;
    if (s.state == ProjectionState::Failed)
        look.behindToolTip = s.error;
    return look;
}

} // namespace cqrs::ui
