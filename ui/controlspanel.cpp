#include "ui/controlspanel.h"

#include "ui/lessonspot.h"

#include "util/money.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cqrs::ui {

namespace {
constexpr int trafficSliderSteps = 1000;
constexpr double trafficDecades = 4; // 1 to 10,000 orders per second

int rateForSliderPosition(int position)
{
    return position <= 0 ? 0 : int(std::lround(std::pow(10.0, trafficDecades * position / trafficSliderSteps)));
}

int sliderPositionForRate(int rate)
{
    if (rate <= 0)
        return 0;
    return std::clamp(int(std::lround(trafficSliderSteps * std::log10(double(rate)) / trafficDecades)), 1, trafficSliderSteps);
}

QString explanation(ArchitectureMode mode, bool synchronous)
{
    QString text;
    switch (mode) {
    case ArchitectureMode::Crud:
        text = QObject::tr("<b>CRUD</b>: one model. The dashboard joins and aggregates the write "
                           "tables, competing with checkout.");
        break;
    case ArchitectureMode::Logical:
        text = QObject::tr("<b>CQRS, logical</b>: one SQLite file, separate read tables kept up to "
                           "date by projectors.");
        break;
    case ArchitectureMode::Physical:
        text = QObject::tr("<b>CQRS, physical</b>: write.db and read.db; the dashboard never "
                           "touches the write store.");
        break;
    }
    if (synchronous)
        text += QObject::tr("<br/><b>Sync update</b>: views are updated inside each command's "
                            "transaction, so checkout pays for them.");
    return text;
}
} // namespace

ControlsPanel::ControlsPanel(QWidget* parent)
    : QWidget(parent)
{
    m_architecture = new QComboBox(this);
    m_architecture->addItem(tr("CRUD (one model)"), int(ArchitectureMode::Crud));
    m_architecture->addItem(tr("CQRS, logical (one file)"), int(ArchitectureMode::Logical));
    m_architecture->addItem(tr("CQRS, physical (two files)"), int(ArchitectureMode::Physical));
    m_architecture->setAccessibleName(tr("Architecture"));
    m_update = new QComboBox(this);
    m_update->addItem(tr("Asynchronous (projectors)"), false);
    m_update->addItem(tr("Synchronous (in the command)"), true);
    m_update->setAccessibleName(tr("Read-model update"));
    m_consistency = new QComboBox(this);
    m_consistency->addItem(tr("Eventual"), int(ConsistencyMode::Eventual));
    m_consistency->addItem(tr("Read your writes"), int(ConsistencyMode::ReadYourWrites));
    m_consistency->setAccessibleName(tr("Query consistency"));
    m_consistency->setToolTip(tr("Read your writes: after your own command, dashboard queries wait "
                                 "until the views have applied it (at most 2 s)."));

    m_delay = new QSlider(Qt::Horizontal, this);
    m_delay->setRange(0, 5000);
    m_delay->setSingleStep(50);
    m_delay->setPageStep(500);
    m_delay->setAccessibleName(tr("Projection delay"));
    m_delaySpin = new QSpinBox(this);
    m_delaySpin->setRange(0, 5000);
    m_delaySpin->setSingleStep(50);
    m_delaySpin->setSuffix(tr(" ms"));
    m_delaySpin->setAccessibleName(tr("Projection delay in milliseconds"));
    m_jitter = new QSlider(Qt::Horizontal, this);
    m_jitter->setRange(0, 2000);
    m_jitter->setSingleStep(50);
    m_jitter->setPageStep(250);
    m_jitter->setAccessibleName(tr("Projection jitter"));
    m_jitterSpin = new QSpinBox(this);
    m_jitterSpin->setRange(0, 2000);
    m_jitterSpin->setSingleStep(50);
    m_jitterSpin->setSuffix(tr(" ms"));
    m_jitterSpin->setAccessibleName(tr("Projection jitter in milliseconds"));

    m_rebuild = new QPushButton(tr("Re&build views"), this);
    m_rebuild->setToolTip(tr("Empty every view and replay the whole event log into it"));
    m_rebuild->setAccessibleName(tr("Rebuild views"));
    m_rebuildProgress = new QProgressBar(this);
    m_rebuildProgress->setVisible(false);
    m_rebuildProgress->setAccessibleName(tr("Rebuild progress"));
    m_reset = new QPushButton(tr("Reset demo data…"), this);
    m_reset->setToolTip(tr("Delete the stores and start again from the demo catalog"));
    m_reset->setAccessibleName(tr("Reset demo data"));
    m_explain = new QLabel(this);
    m_explain->setWordWrap(true);
    m_explain->setTextFormat(Qt::RichText);
    m_updateNote = new QLabel(this);
    m_updateNote->setWordWrap(true);
    m_updateNote->setAccessibleName(tr("About the read-model update"));
    m_consistencyNote = new QLabel(this);
    m_consistencyNote->setWordWrap(true);
    m_consistencyNote->setAccessibleName(tr("About the query consistency"));
    m_delayNote = new QLabel(this);
    m_delayNote->setWordWrap(true);
    m_delayNote->setAccessibleName(tr("About the projection delay"));
    for (QLabel* note : {m_updateNote, m_consistencyNote, m_delayNote}) {
        note->setStyleSheet(QStringLiteral("QLabel { color: palette(dark); }"));
        note->setVisible(false);
    }

    auto* delayRow = new QHBoxLayout;
    delayRow->addWidget(m_delay, 1);
    delayRow->addWidget(m_delaySpin);
    auto* jitterRow = new QHBoxLayout;
    jitterRow->addWidget(m_jitter, 1);
    jitterRow->addWidget(m_jitterSpin);

    auto* form = new QFormLayout;
    form->addRow(tr("&Architecture:"), m_architecture);
    form->addRow(tr("Read-model &update:"), m_update);
    form->addRow(QString(), m_updateNote);
    form->addRow(tr("&Query consistency:"), m_consistency);
    form->addRow(QString(), m_consistencyNote);
    auto* delayLabel = new QLabel(tr("Projection dela&y:"), this);
    delayLabel->setBuddy(m_delay);
    auto* jitterLabel = new QLabel(tr("&Jitter:"), this);
    jitterLabel->setBuddy(m_jitter);
    form->addRow(delayLabel, delayRow);
    form->addRow(jitterLabel, jitterRow);
    form->addRow(QString(), m_delayNote);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_explain);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_rebuild);
    buttons->addWidget(m_rebuildProgress, 1);
    buttons->addWidget(m_reset);
    layout->addLayout(buttons);

    auto* traffic = new QGroupBox(tr("Simulated traffic"), this);
    // Logarithmic: as much of the slider for 1-10/s as for 1,000-10,000/s.
    m_traffic = new QSlider(Qt::Horizontal, traffic);
    m_traffic->setRange(0, trafficSliderSteps);
    m_traffic->setSingleStep(5);
    m_traffic->setPageStep(50);
    m_traffic->setAccessibleName(tr("Simulated orders per second"));
    m_trafficSpin = new QSpinBox(traffic);
    m_trafficSpin->setRange(0, 10'000);
    m_trafficSpin->setSingleStep(10);
    m_trafficSpin->setSuffix(tr(" /s"));
    m_trafficSpin->setAccessibleName(tr("Simulated orders per second, number"));
    m_trafficInfo = new QLabel(traffic);
    m_trafficInfo->setWordWrap(true);
    auto* trafficRow = new QHBoxLayout;
    trafficRow->addWidget(m_traffic, 1);
    trafficRow->addWidget(m_trafficSpin);
    auto* trafficForm = new QFormLayout(traffic);
    auto* trafficLabel = new QLabel(tr("&Orders:"), traffic);
    trafficLabel->setBuddy(m_traffic);
    trafficForm->addRow(trafficLabel, trafficRow);
    m_analytics = new QSlider(Qt::Horizontal, traffic);
    m_analytics->setRange(0, 20);
    m_analytics->setPageStep(2);
    m_analytics->setAccessibleName(tr("Analytics reports per second"));
    m_analytics->setToolTip(tr("A simulated analytics dashboard running heavy reports: joins over the "
                               "write tables in CRUD, the precomputed views in CQRS."));
    m_analyticsSpin = new QSpinBox(traffic);
    m_analyticsSpin->setRange(0, 20);
    m_analyticsSpin->setSuffix(tr(" /s"));
    m_analyticsSpin->setAccessibleName(tr("Analytics reports per second, number"));
    auto* analyticsRow = new QHBoxLayout;
    analyticsRow->addWidget(m_analytics, 1);
    analyticsRow->addWidget(m_analyticsSpin);
    auto* analyticsLabel = new QLabel(tr("Ana&lytics:"), traffic);
    analyticsLabel->setBuddy(m_analytics);
    trafficForm->addRow(analyticsLabel, analyticsRow);
    trafficForm->addRow(m_trafficInfo);
    connect(m_analytics, &QSlider::valueChanged, m_analyticsSpin, &QSpinBox::setValue);
    connect(m_analyticsSpin, &QSpinBox::valueChanged, m_analytics, &QSlider::setValue);
    connect(m_analyticsSpin, &QSpinBox::valueChanged, this, &ControlsPanel::analyticsRateChanged);
    layout->addWidget(traffic);
    layout->addStretch(1);
    connect(m_traffic, &QSlider::valueChanged, this, [this](int position) {
        // A rate typed in the box stays as typed while the slider shows it.
        if (sliderPositionForRate(m_trafficSpin->value()) != position)
            m_trafficSpin->setValue(rateForSliderPosition(position));
    });
    connect(m_trafficSpin, &QSpinBox::valueChanged, this, [this](int rate) {
        const QSignalBlocker blocker(m_traffic);
        m_traffic->setValue(sliderPositionForRate(rate));
    });
    connect(m_trafficSpin, &QSpinBox::valueChanged, this, &ControlsPanel::trafficRateChanged);

    const auto explain = [this] {
        m_explain->setText(explanation(architecture(), synchronous()));
        showWhatApplies();
    };
    connect(m_architecture, &QComboBox::currentIndexChanged, this, [this, explain] {
        explain();
        Q_EMIT architectureChanged(architecture());
    });
    connect(m_update, &QComboBox::currentIndexChanged, this, [this, explain] {
        explain();
        Q_EMIT synchronousChanged(synchronous());
    });
    connect(m_consistency, &QComboBox::currentIndexChanged, this, [this] {
        showWhatApplies();
        Q_EMIT consistencyChanged(consistency());
    });
    connect(m_delay, &QSlider::valueChanged, m_delaySpin, &QSpinBox::setValue);
    connect(m_delaySpin, &QSpinBox::valueChanged, m_delay, &QSlider::setValue);
    connect(m_jitter, &QSlider::valueChanged, m_jitterSpin, &QSpinBox::setValue);
    connect(m_jitterSpin, &QSpinBox::valueChanged, m_jitter, &QSlider::setValue);
    connect(m_delaySpin, &QSpinBox::valueChanged, this, [this] { Q_EMIT delayChanged(delayMs(), jitterMs()); });
    connect(m_jitterSpin, &QSpinBox::valueChanged, this, [this] { Q_EMIT delayChanged(delayMs(), jitterMs()); });
    connect(m_rebuild, &QPushButton::clicked, this, [this] {
        if (!m_rebuildProgress->isVisible()) // a rebuild is running already
            Q_EMIT rebuildRequested();
    });
    connect(m_reset, &QPushButton::clicked, this, &ControlsPanel::resetRequested);
    setArchitecture(ArchitectureMode::Physical);
    explain();
}

void ControlsPanel::showWhatApplies()
{
    const bool crud = architecture() == ArchitectureMode::Crud;
    const bool inline_ = !crud && synchronous() && m_synchronousProblem.isEmpty();
    m_update->setEnabled(!crud);
    m_consistency->setEnabled(!crud);
    QString update;
    if (crud)
        update = tr("Not in use in CRUD: there is no read model to update.");
    else if (synchronous() && !m_synchronousProblem.isEmpty())
        update = m_synchronousProblem;
    m_updateNote->setText(update);
    m_updateNote->setVisible(!update.isEmpty());
    QString consistencyText;
    if (crud)
        consistencyText = tr("Not in use in CRUD: queries read the write tables, which are always current.");
    else if (consistency() == ConsistencyMode::ReadYourWrites)
        consistencyText = tr("After your own command the dashboard's queries wait for the views to apply it "
                             "(at most 2 s): your order shows when it is visible, never as pending.");
    m_consistencyNote->setText(consistencyText);
    m_consistencyNote->setVisible(!consistencyText.isEmpty());
    // The delay is the projectors' knob: of no use where they are not the ones updating the views.
    QString delayText;
    if (crud)
        delayText = tr("Not in use in CRUD: the dashboard does not read the views.");
    else if (inline_)
        delayText = tr("Not in use with synchronous update: caught-up views are updated inside the command.");
    for (QWidget* knob : std::initializer_list<QWidget*>{m_delay, m_delaySpin, m_jitter, m_jitterSpin})
        knob->setEnabled(delayText.isEmpty());
    m_delayNote->setText(delayText);
    m_delayNote->setVisible(!delayText.isEmpty());
    m_rebuild->setEnabled(m_labAvailable && !crud);
    m_rebuild->setToolTip(crud ? tr("Not in use in CRUD: the dashboard does not read the views.")
                               : tr("Empty every view and replay the whole event log into it"));
}

void ControlsPanel::setSynchronousProblem(const QString& problem)
{
    if (problem == m_synchronousProblem)
        return;
    m_synchronousProblem = problem;
    showWhatApplies();
}

void ControlsPanel::setLabAvailable(bool available)
{
    m_labAvailable = available;
    showWhatApplies();
}

QString ControlsPanel::updateNote() const { return m_updateNote->isVisible() ? m_updateNote->text() : QString(); }

QString ControlsPanel::consistencyNote() const
{
    return m_consistencyNote->isVisible() ? m_consistencyNote->text() : QString();
}

QString ControlsPanel::delayNote() const { return m_delayNote->isVisible() ? m_delayNote->text() : QString(); }

KnobSettings ControlsPanel::knobs() const
{
    return {architecture(), synchronous(), consistency(), delayMs(), jitterMs()};
}

QWidget* ControlsPanel::setSpotlight(const QStringList& targets)
{
    const std::pair<QString, QWidget*> knobs[] = {
        {QStringLiteral("architecture"), m_architecture}, {QStringLiteral("update"), m_update},
        {QStringLiteral("consistency"), m_consistency},   {QStringLiteral("delay"), m_delaySpin},
        {QStringLiteral("jitter"), m_jitterSpin},         {QStringLiteral("traffic"), m_trafficSpin},
        {QStringLiteral("analytics"), m_analyticsSpin}};
    QWidget* first = nullptr;
    m_spotlit.clear();
    for (const auto& [name, widget] : knobs) {
        const bool spotlit = targets.contains(QStringLiteral("knob:") + name);
        QPalette colours = palette();
        if (spotlit) {
            const QColor tint = lessonSpotColour().lighter(185);
            colours.setColor(QPalette::Base, tint);
            colours.setColor(QPalette::Button, tint);
            m_spotlit.append(name);
            if (!first)
                first = widget;
        }
        widget->setPalette(colours);
    }
    return first;
}

void ControlsPanel::setKnobs(const KnobSettings& knobs)
{
    setArchitecture(knobs.architecture);
    setSynchronous(knobs.synchronous);
    setConsistency(knobs.consistency);
    setDelay(knobs.delayMs, knobs.jitterMs);
}

void ControlsPanel::setArchitecture(ArchitectureMode mode)
{
    m_architecture->setCurrentIndex(m_architecture->findData(int(mode)));
}

void ControlsPanel::setSynchronous(bool synchronous)
{
    m_update->setCurrentIndex(synchronous ? 1 : 0);
}

void ControlsPanel::setConsistency(ConsistencyMode mode)
{
    m_consistency->setCurrentIndex(m_consistency->findData(int(mode)));
}

void ControlsPanel::setDelay(int delay, int jitter)
{
    m_delaySpin->setValue(delay);
    m_jitterSpin->setValue(jitter);
}

void ControlsPanel::setRebuildProgress(qint64 done, qint64 total)
{
    // The button stays enabled while it runs (a second click does nothing):
    // disabling it would send the keyboard focus on to Reset demo data.
    const bool visible = done >= 0 && total > 0 && done < total;
    m_rebuildProgress->setVisible(visible);
    if (visible) {
        const int scale = total > 1'000'000'000 ? 1000 : 1;
        m_rebuildProgress->setRange(0, int(total / scale));
        m_rebuildProgress->setValue(int(done / scale));
    }
}

void ControlsPanel::setTrafficRate(int ordersPerSecond) { m_trafficSpin->setValue(ordersPerSecond); }
int ControlsPanel::trafficRate() const { return m_trafficSpin->value(); }
void ControlsPanel::setAnalyticsRate(int reportsPerSecond) { m_analyticsSpin->setValue(reportsPerSecond); }
int ControlsPanel::analyticsRate() const { return m_analyticsSpin->value(); }
void ControlsPanel::showTraffic(const TrafficStats& traffic, const AnalyticsStats& analytics, bool running,
                                const QString& lastRejection)
{
    if (!running) {
        m_trafficInfo->setText(tr("Off. Slide to let simulated customers place orders, or an "
                                  "analytics dashboard run reports."));
        return;
    }
    // The simulated customers break a rule now and then on purpose.
    QString text = lastRejection.isEmpty()
                       ? tr("%1 accepted, %2 rejected").arg(formatCount(traffic.accepted), formatCount(traffic.rejected))
                       : tr("%1 accepted, %2 rejected (some on purpose, e.g. “%3”)")
                             .arg(formatCount(traffic.accepted), formatCount(traffic.rejected), lastRejection.toHtmlEscaped());
    if (traffic.failed > 0)
        text += tr(", <b>%1 failed</b> (the store could not commit them)").arg(formatCount(traffic.failed));
    if (analyticsRate() > 0)
        text += tr("<br/>%1 reports run, median %2 ms").arg(formatCount(analytics.reportsRun))
                    .arg(analytics.duration.quantileMs(0.5), 0, 'f', 1);
    m_trafficInfo->setText(text);
}

QString ControlsPanel::trafficInfo() const { return m_trafficInfo->text(); }

ArchitectureMode ControlsPanel::architecture() const
{
    return ArchitectureMode(m_architecture->currentData().toInt());
}

bool ControlsPanel::synchronous() const { return m_update->currentData().toBool(); }

ConsistencyMode ControlsPanel::consistency() const
{
    return ConsistencyMode(m_consistency->currentData().toInt());
}

int ControlsPanel::delayMs() const { return m_delaySpin->value(); }
int ControlsPanel::jitterMs() const { return m_jitterSpin->value(); }

} // namespace cqrs::ui
