#include "ui/labsettings.h"

#include <QMainWindow>
#include <QSettings>

#include <algorithm>

namespace cqrs::ui::LabSettings {

namespace {
const QString architectureKey = QStringLiteral("knobs/architecture");
const QString synchronousKey = QStringLiteral("knobs/synchronous");
const QString readYourWritesKey = QStringLiteral("knobs/readYourWrites");
const QString delayKey = QStringLiteral("knobs/delayMs");
const QString jitterKey = QStringLiteral("knobs/jitterMs");
const QString zoomKey = QStringLiteral("view/zoom");
const QString geometryKey = QStringLiteral("window/geometry");
const QString stateKey = QStringLiteral("window/state");
const QString lessonKey = QStringLiteral("lessons/current");
const QString seenGroup = QStringLiteral("lessons/seen");
} // namespace

KnobSettings loadKnobs()
{
    QSettings settings;
    KnobSettings knobs;
    knobs.architecture = architectureModeFromName(settings.value(architectureKey).toString()).value_or(knobs.architecture);
    knobs.synchronous = settings.value(synchronousKey, false).toBool();
    knobs.consistency = settings.value(readYourWritesKey, false).toBool() ? ConsistencyMode::ReadYourWrites
                                                                          : ConsistencyMode::Eventual;
    knobs.delayMs = std::clamp(settings.value(delayKey, 0).toInt(), 0, 5000);
    knobs.jitterMs = std::clamp(settings.value(jitterKey, 0).toInt(), 0, 2000);
    return knobs;
}

void saveKnobs(const KnobSettings& knobs)
{
    QSettings settings;
    settings.setValue(architectureKey, architectureModeName(knobs.architecture));
    settings.setValue(synchronousKey, knobs.synchronous);
    settings.setValue(readYourWritesKey, knobs.consistency == ConsistencyMode::ReadYourWrites);
    settings.setValue(delayKey, knobs.delayMs);
    settings.setValue(jitterKey, knobs.jitterMs);
    // Earlier versions kept the simulators' rates; a launch starts them at 0.
    settings.remove(QStringLiteral("traffic"));
}

double loadZoom() { return QSettings().value(zoomKey, 1.0).toDouble(); }

void saveZoom(double zoom) { QSettings().setValue(zoomKey, zoom); }

LessonProgress loadLessonProgress()
{
    QSettings settings;
    LessonProgress progress;
    progress.current = std::max(0, settings.value(lessonKey, 0).toInt());
    settings.beginGroup(seenGroup);
    for (const QString& key : settings.childKeys()) {
        bool ok = false;
        const int number = key.toInt(&ok);
        if (ok && number > 0)
            progress.seen.insert(number, settings.value(key).toString());
    }
    return progress;
}

void saveLessonProgress(const LessonProgress& progress)
{
    QSettings settings;
    settings.setValue(lessonKey, progress.current);
    settings.remove(seenGroup);
    settings.beginGroup(seenGroup);
    for (auto it = progress.seen.cbegin(); it != progress.seen.cend(); ++it)
        settings.setValue(QString::number(it.key()), it.value());
}

void restoreWindow(QMainWindow* window)
{
    QSettings settings;
    window->restoreGeometry(settings.value(geometryKey).toByteArray());
    window->restoreState(settings.value(stateKey).toByteArray());
}

void saveWindow(const QMainWindow* window)
{
    QSettings settings;
    settings.setValue(geometryKey, window->saveGeometry());
    settings.setValue(stateKey, window->saveState());
}

} // namespace cqrs::ui::LabSettings
