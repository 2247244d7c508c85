#pragma once

#include "lessons/lessoncheck.h"
#include "ui/labsettings.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace cqrs {
class LabSession;
}

namespace cqrs::ui {

class ControlsPanel;
class LessonsPanel;

/// Runs the open lesson against the lab: Set up turns the knobs (and, once
/// a session is ready, pauses views and fills the store), every
/// observation feeds the lesson's check, and the panel says what the check
/// says. Progress (the open lesson, each seen lesson's words) is kept
/// between launches.
class LessonRunner final : public QObject {
    Q_OBJECT

public:
    /// `readySession` gives the session when it can take commands, else null.
    LessonRunner(LessonsPanel* panel, ControlsPanel* controls,
                 std::function<LabSession*()> readySession, QObject* parent = nullptr);
    ~LessonRunner() override;

    /// Opens the lesson kept from the last launch, or `number` when > 0.
    void start(int number);
    /// About ten times a second, from the window's snapshot.
    void observe(LessonObservation observation);
    void ownOrderAccepted(qint64 orderId, qint64 position, ConsistencyMode consistency,
                          double atMs);
    void ordersShown(qint64 checkpoint, bool readYourWrites, double queryMs, double atMs);
    /// Set up sent, but the views' pauses or the fill are not applied yet.
    bool setupPending() const { return m_pending.has_value(); }
    const LessonCheck* check() const { return m_check.get(); }

Q_SIGNALS:
    /// The parts the open lesson points at.
    void spotlightChanged(const QStringList& targets);

private:
    void choose(const Lesson& lesson);
    void setUp(const Lesson& lesson);
    void applyPending(const LessonObservation& observation);
    void showCheck();

    LessonsPanel* m_panel;
    ControlsPanel* m_controls;
    std::function<LabSession*()> m_readySession;
    std::unique_ptr<LessonCheck> m_check;
    int m_number = 0;
    std::optional<LessonSetup> m_pending;
    LessonProgress m_progress;
};

} // namespace cqrs::ui
