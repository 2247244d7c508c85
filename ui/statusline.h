#pragma once

#include "lab/labsession.h"

#include <QObject>

class QLabel;
class QStatusBar;

namespace cqrs::ui {

/// The window's status bar: a warning about the stores when there is one
/// (red, on the left), and on the right the mode, the head position and the
/// command and event rates of the last second, all from what the session
/// reports.
class StatusLine final : public QObject
{
    Q_OBJECT

public:
    explicit StatusLine(QStatusBar* bar);

    void showState(const SessionState& state);
    void showSnapshot(const LagSnapshot& snapshot);
    /// A newer head than the last snapshot's (events arrive between snapshots).
    void showHead(qint64 head);
    /// Between two sessions: no mode to show.
    void showReopening();
    /// A new session counts from zero again: the rate starts a new window.
    void restartRate();
    QString warningText() const;

private:
    void showRate(const LagSnapshot& snapshot);

    QLabel* m_warning = nullptr;
    QLabel* m_mode = nullptr;
    QLabel* m_head = nullptr;
    QLabel* m_rate = nullptr;
    qint64 m_shownHead = 0;
    qint64 m_rateWindowStartNs = 0;
    qint64 m_rateCommands = 0;
    qint64 m_rateEvents = 0;
};

} // namespace cqrs::ui
