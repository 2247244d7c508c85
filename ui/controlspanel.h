#pragma once

#include "read/queryresults.h"
#include "sim/trafficstats.h"
#include "ui/labsettings.h"

#include <QWidget>

class QButtonGroup;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;

namespace cqrs::ui {

/// The knobs an instructor turns: architecture, read-model update mode,
/// query consistency, projection delay and jitter, rebuild and reset.
/// It only reports what was chosen; the window applies it.
class ControlsPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ControlsPanel(QWidget* parent = nullptr);

    /// The knobs a launch keeps, as set now; and all of them at once.
    KnobSettings knobs() const;
    void setKnobs(const KnobSettings& knobs);
    void setArchitecture(ArchitectureMode mode);
    void setSynchronous(bool synchronous);
    void setConsistency(ConsistencyMode mode);
    void setDelay(int delayMs, int jitterMs);
    /// done < 0 hides the progress bar.
    void setRebuildProgress(qint64 done, qint64 total);
    void setTrafficRate(int ordersPerSecond);
    void setAnalyticsRate(int reportsPerSecond);
    int analyticsRate() const;
    int trafficRate() const;
    /// A line under the traffic knobs: what the simulators did (when
    /// `running`), with a sample of the rejections.
    void showTraffic(const TrafficStats& traffic, const AnalyticsStats& analytics, bool running,
                     const QString& lastRejection);
    QString trafficInfo() const;
    /// Why synchronous update is off although chosen (empty: it is on as chosen).
    void setSynchronousProblem(const QString& problem);
    /// Whether the controls can change anything now (not while the store opens).
    void setLabAvailable(bool available);

    /// Tints the knobs the open lesson points at ("knob:<name>", names as in
    /// lessonKnobNames()); returns the first of them, or null.
    QWidget* setSpotlight(const QStringList& targets);
    QStringList spotlitKnobs() const { return m_spotlit; }

    ArchitectureMode architecture() const;
    bool synchronous() const;
    ConsistencyMode consistency() const;
    int delayMs() const;
    int jitterMs() const;
    QSlider* delaySlider() const { return m_delay; }

Q_SIGNALS:
    void architectureChanged(cqrs::ArchitectureMode mode);
    void synchronousChanged(bool synchronous);
    void consistencyChanged(cqrs::ConsistencyMode mode);
    void delayChanged(int delayMs, int jitterMs);
    void rebuildRequested();
    void trafficRateChanged(int ordersPerSecond);
    void analyticsRateChanged(int reportsPerSecond);
    void resetRequested();

public:
    QComboBox* updatePicker() const { return m_update; }
    QComboBox* consistencyPicker() const { return m_consistency; }
    QComboBox* architecturePicker() const { return m_architecture; }
    QString updateNote() const;
    QString consistencyNote() const;
    QString delayNote() const;

private:
    /// CRUD has no read model: the update and consistency knobs say they
    /// are not in use, and why.
    void showWhatApplies();

    QComboBox* m_architecture = nullptr;
    QComboBox* m_update = nullptr;
    QComboBox* m_consistency = nullptr;
    QSlider* m_delay = nullptr;
    QSpinBox* m_delaySpin = nullptr;
    QSlider* m_jitter = nullptr;
    QSpinBox* m_jitterSpin = nullptr;
    QPushButton* m_rebuild = nullptr;
    QProgressBar* m_rebuildProgress = nullptr;
    QPushButton* m_reset = nullptr;
    QLabel* m_explain = nullptr;
    QLabel* m_updateNote = nullptr;
    QLabel* m_consistencyNote = nullptr;
    QLabel* m_delayNote = nullptr;
    bool m_labAvailable = false;
    QString m_synchronousProblem;
    QSlider* m_traffic = nullptr;
    QSpinBox* m_trafficSpin = nullptr;
    QLabel* m_trafficInfo = nullptr;
    QSlider* m_analytics = nullptr;
    QSpinBox* m_analyticsSpin = nullptr;
    QStringList m_spotlit;
};

} // namespace cqrs::ui
