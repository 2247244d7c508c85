#pragma once

#include "read/queryresults.h"

#include <QMap>
#include <QString>

class QMainWindow;

namespace cqrs::ui {

/// The knobs a window keeps between launches. Simulated traffic and
/// analytics are not among them: every launch starts them at 0.
struct KnobSettings
{
    ArchitectureMode architecture = ArchitectureMode::Physical;
    bool synchronous = false;
    ConsistencyMode consistency = ConsistencyMode::Eventual;
    int delayMs = 0;
    int jitterMs = 0;

    friend bool operator==(const KnobSettings&, const KnobSettings&) = default;
};

/// How far a learner got: the lesson open last (0: none yet, a first
/// launch) and what each seen lesson's check said.
struct LessonProgress
{
    int current = 0;
    QMap<int, QString> seen;
};

/// The window's settings in QSettings: knobs, zoom, geometry and docks.
namespace LabSettings {
KnobSettings loadKnobs();
void saveKnobs(const KnobSettings& knobs);
double loadZoom();
void saveZoom(double zoom);
LessonProgress loadLessonProgress();
void saveLessonProgress(const LessonProgress& progress);
void restoreWindow(QMainWindow* window);
void saveWindow(const QMainWindow* window);
} // namespace LabSettings

} // namespace cqrs::ui
