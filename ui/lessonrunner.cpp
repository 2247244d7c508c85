#include "ui/lessonrunner.h"

#include "lab/labsession.h"
#include "ui/controlspanel.h"
#include "ui/labsettings.h"
#include "ui/lessonspanel.h"

namespace cqrs::ui {

LessonRunner::LessonRunner(LessonsPanel* panel, ControlsPanel* controls,
                           std::function<LabSession*()> readySession, QObject* parent)
    : QObject(parent)
    , m_panel(panel)
    , m_controls(controls)
    , m_readySession(std::move(readySession)) {
    connect(m_panel, &LessonsPanel::lessonChosen, this, &LessonRunner::choose);
    connect(m_panel, &LessonsPanel::setupRequested, this, &LessonRunner::setUp);
}

LessonRunner::~LessonRunner() = default;

void LessonRunner::start(int number) {
    m_progress = LabSettings::loadLessonProgress();
    for (auto it = m_progress.seen.cbegin(); it != m_progress.seen.cend(); ++it)
        m_panel->markSeen(it.key());
    m_panel->showLesson(number > 0 ? number : m_progress.current);
}

void LessonRunner::choose(const Lesson& lesson) {
    m_number = lesson.number;
    m_check = std::make_unique<LessonCheck>(lesson);
    m_pending.reset();
    m_progress.current = lesson.number;
    LabSettings::saveLessonProgress(m_progress);
    Q_EMIT spotlightChanged(lesson.highlights);
    showCheck();
}

void LessonRunner::setUp(const Lesson& lesson) {
    // A fresh check: what was measured before the setup does not count.
    m_check = std::make_unique<LessonCheck>(lesson);
    const LessonSetup& setup = lesson.setup;
    KnobSettings knobs;
    knobs.architecture = setup.architecture;
    knobs.synchronous = setup.synchronous;
    knobs.consistency = setup.consistency;
    knobs.delayMs = setup.delayMs;
    knobs.jitterMs = setup.jitterMs;
    m_controls->setKnobs(knobs);
    m_controls->setTrafficRate(setup.trafficRate);
    m_controls->setAnalyticsRate(setup.analyticsRate);
    // Pauses and the fill go to the session that runs once the knobs are
    // applied (crossing CRUD <-> CQRS reopens the store first).
    m_pending = setup;
    Q_EMIT spotlightChanged(lesson.highlights); // the knobs it points at, in view again
    showCheck();
}

void LessonRunner::applyPending(const LessonObservation& observation) {
    LabSession* session = m_readySession ? m_readySession() : nullptr;
    if (!m_pending || !session || observation.architecture != m_pending->architecture)
        return;
    for (const QString& name : lessonProjectionNames())
        session->setPaused(name, m_pending->pausedViews.contains(name));
    if (const qint64 missing = m_pending->ordersAtLeast - observation.ordersInStore; missing > 0)
        session->fillOrders(missing);
    m_pending.reset();
}

void LessonRunner::observe(LessonObservation observation) {
    applyPending(observation);
    if (!m_check)
        return;
    if (m_pending && m_pending->ordersAtLeast > observation.ordersInStore)
        observation.filling = true;
    m_check->observe(observation);
    showCheck();
}

void LessonRunner::ownOrderAccepted(qint64 orderId, qint64 position, ConsistencyMode consistency,
                                    double atMs) {
    if (m_check)
        m_check->ownOrderAccepted(orderId, position, consistency, atMs);
    showCheck();
}

void LessonRunner::ordersShown(qint64 checkpoint, bool readYourWrites, double queryMs,
                               double atMs) {
    if (m_check)
        m_check->ordersShown(checkpoint, readYourWrites, queryMs, atMs);
    showCheck();
}

void LessonRunner::showCheck() {
    if (!m_check) {
        m_panel->setCheckText({}, false);
        return;
    }
    if (m_check->seen()) {
        if (m_progress.seen.value(m_number) != m_check->message()) {
            m_progress.seen.insert(m_number, m_check->message());
            LabSettings::saveLessonProgress(m_progress);
        }
        m_panel->markSeen(m_number);
        m_panel->setCheckText(tr("✓ Seen. %1").arg(m_check->message()), true);
        return;
    }
    const QString earlier = m_progress.seen.value(m_number);
    const QString now = m_check->progress();
    m_panel->setCheckText(earlier.isEmpty()
                              ? now
                              : tr("Seen on an earlier run: %1\nThis run: %2").arg(earlier, now),
                          false);
}

} // namespace cqrs::ui
