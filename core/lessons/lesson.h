#pragma once

#include "read/queryresults.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cqrs {

/// Where one "Set up" click puts the lab: every knob a lesson depends on.
struct LessonSetup {
    ArchitectureMode architecture = ArchitectureMode::Physical;
    bool synchronous = false;
    ConsistencyMode consistency = ConsistencyMode::Eventual;
    int delayMs = 0;
    int jitterMs = 0;
    int trafficRate = 0;
    int analyticsRate = 0;
    /// Projections to pause (by name); every other one runs.
    QStringList pausedViews;
    /// The write store is filled with simulated orders up to this many.
    qint64 ordersAtLeast = 0;

    friend bool operator==(const LessonSetup&, const LessonSetup&) = default;
};

/// What a lesson's live check watches for (LessonCheck runs it).
enum class LessonCheckKind {
    /// CRUD: checkout p99 rises once the analytics reports run.
    CheckoutSlowsUnderReports,
    /// Checkout p99 measured in CRUD with reports, then lower in a CQRS mode.
    CheckoutRecoversWhenSplit,
    /// An order of this window is committed but not yet in the orders view,
    /// then shows there.
    OrderPendingThenVisible,
    /// Read-your-writes: an order of this window is read back after a wait,
    /// never shown pending.
    OwnOrderReadYourWrites,
    /// Checkout p99 with asynchronous update, then higher with synchronous.
    SynchronousUpdateCost,
};

struct LessonCheckSpec {
    LessonCheckKind kind = LessonCheckKind::OrderPendingThenVisible;
    /// How many times larger (or smaller) the second figure must be.
    double factor = 2.0;
    /// The least time that counts as seen (a pending order), in ms.
    double minMs = 0;
    /// Checkout answers each phase must measure before it counts.
    qint64 samples = 300;
};

/// The projections a lesson may pause, by name.
const QStringList& lessonProjectionNames();

QString lessonCheckName(LessonCheckKind kind);
std::optional<LessonCheckKind> lessonCheckFromName(const QString& name);
/// The figures a check of `kind` fills into its lesson's `seen` text.
QStringList lessonCheckFigures(LessonCheckKind kind);

/// One lesson, as read from its Markdown file under resources/lessons.
struct Lesson {
    QString fileName;
    int number = 0;
    QString title;
    LessonSetup setup;
    LessonCheckSpec check;
    /// What to look at: "node:<id>" (a diagram part by its nodes.md id),
    /// "projection:<name>", "chart:lag" / "chart:checkout", or "knob:<name>"
    /// (architecture, update, consistency, delay, jitter, traffic, analytics).
    QStringList highlights;
    /// Said when the check has seen it; {name} is a measured figure.
    QString seenText;
    /// Markdown: the idea, what to do, what to watch.
    QString explanation;
    QString todo;
    QString watch;
};

/// Why a lesson file could not be used: its name, the line, what is wrong.
struct LessonProblem {
    QString fileName;
    int line = 0;
    QString message;

    QString text() const;
};

/// Parses one lesson file. On failure returns nothing and says why in `problem`.
std::optional<Lesson> parseLesson(const QString& fileName, const QString& text,
                                  LessonProblem* problem);

/// Fills `seenText`'s {figure} placeholders.
QString fillLessonText(const QString& seenText, const QList<QPair<QString, QString>>& figures);

} // namespace cqrs
