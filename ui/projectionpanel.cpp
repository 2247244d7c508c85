#include "ui/projectionpanel.h"

#include "util/money.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace cqrs::ui {

namespace {
/// A QProgressBar (value, format and accessibility as usual) that paints
/// itself as three plain rectangles and its text. The style's gradient bar
/// with rounded ends is enough spans per paint that Qt's raster engine
/// hands each fill to its thread pool and blocks the GUI thread until the
/// pool is done (docs/benchmarks.md, target 6); plain rectangles of this
/// height never leave the GUI thread.
class CheckpointBar final : public QProgressBar
{
public:
    explicit CheckpointBar(QWidget* parent)
        : QProgressBar(parent)
    {
        setAttribute(Qt::WA_OpaquePaintEvent); // paintEvent() covers every pixel
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        const QRect frame = rect();
        const QPalette& colors = palette();
        painter.fillRect(frame, colors.color(QPalette::Base));
        painter.setPen(colors.color(QPalette::Mid));
        painter.drawRect(frame.adjusted(0, 0, -1, -1));
        const QRect inside = frame.adjusted(1, 1, -1, -1);
        const qint64 range = qint64(maximum()) - minimum();
        // A reset bar holds minimum() - 1: nothing filled, not a negative width.
        const qint64 done = std::clamp<qint64>(qint64(value()) - minimum(), 0, range);
        const int filled = range > 0 ? int(inside.width() * done / range) : 0;
        const QRect chunk(inside.topLeft(), QSize(filled, inside.height()));
        painter.fillRect(chunk, colors.color(QPalette::Highlight));
        if (!isTextVisible())
            return;
        // The text changes colour where the chunk ends, as the style's does.
        const QString label = text();
        painter.setClipRect(chunk);
        painter.setPen(colors.color(QPalette::HighlightedText));
        painter.drawText(frame, Qt::AlignCenter, label);
        painter.setClipRect(QRect(chunk.right() + 1, frame.top(), frame.width() - filled, frame.height()));
        painter.setPen(colors.color(QPalette::Text));
        painter.drawText(frame, Qt::AlignCenter, label);
    }
};

struct Badge
{
    QString text;
    QString background;
};

Badge badgeFor(const ProjectionLag& lag)
{
    const ProjectionStatus& s = lag.status;
    switch (s.state) {
    case ProjectionState::Failed:
        return {QObject::tr("failed"), QStringLiteral("#c0392b")};
    case ProjectionState::Paused:
        return {QObject::tr("paused"), QStringLiteral("#7f8c8d")};
    case ProjectionState::Rebuilding:
        return {QObject::tr("rebuilding"), QStringLiteral("#2c6fbb")};
    case ProjectionState::Starting:
        return {QObject::tr("starting"), QStringLiteral("#7f8c8d")};
    case ProjectionState::CatchingUp:
        return {QObject::tr("catching up"), QStringLiteral("#d68910")};
    case ProjectionState::Live:
        // Behind on purpose: waiting out the injected delay.
        if (lag.eventsBehind > 0 && (s.knobs.delayMs > 0 || s.knobs.jitterMs > 0))
            return {QObject::tr("live (delayed)"), QStringLiteral("#b7950b")};
        return {QObject::tr("live"), QStringLiteral("#1e8449")};
    }
    return {};
}

QString durationText(double ms)
{
    if (!std::isfinite(ms))
        return QObject::tr("time unknown");
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(qRound(ms));
    return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 1);
}
} // namespace

ProjectionPanel::ProjectionPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(3);
    grid->setColumnStretch(1, 1);
    // What the columns hold: the bar's figure is a position in the event log.
    const QStringList headers{tr("View"), tr("Applied up to event"), tr("Behind"), tr("State")};
    for (int column = 0; column < headers.size(); ++column) {
        auto* header = new QLabel(headers.at(column), this);
        header->setStyleSheet(QStringLiteral("QLabel { color: palette(dark); }"));
        grid->addWidget(header, 0, column, column == 3 ? Qt::AlignCenter : Qt::AlignLeft);
    }
}

void ProjectionPanel::sizeRow(Row& row)
{
    // From the font in use, so a zoom (or a zoom restored at start) keeps
    // every badge and figure whole.
    const QFontMetrics metrics = fontMetrics();
    // The badge has a style sheet, which keeps the font it was polished
    // with: hand it the panel's font explicitly.
    row.state->setFont(font());
    row.progress->setMaximumHeight(metrics.height() + 6);
    row.progress->setMinimumWidth(metrics.horizontalAdvance(QStringLiteral("9,999,999")) + 24);
    row.behind->setMinimumWidth(metrics.horizontalAdvance(QStringLiteral("99,999 behind · 9.9 s")));
    row.state->setMinimumWidth(metrics.horizontalAdvance(QStringLiteral("live (delayed)")) + 14);
}

void ProjectionPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        for (Row& row : m_rows)
            sizeRow(row);
    }
    QWidget::changeEvent(event);
}

ProjectionPanel::Row& ProjectionPanel::rowFor(const ProjectionStatus& status)
{
    for (Row& row : m_rows) {
        if (row.name == status.name)
            return row;
    }
    auto* grid = static_cast<QGridLayout*>(layout());
    const int line = int(m_rows.size()) + 1; // under the headers
    Row row{status.name,
            new QLabel(status.title, this),
            new CheckpointBar(this),
            new QLabel(this),
            new QLabel(this),
            new QToolButton(this),
            new QToolButton(this)};
    row.progress->setTextVisible(true);
    row.progress->setAccessibleName(tr("%1 progress").arg(status.title));
    row.behind->setAccessibleName(tr("%1 lag").arg(status.title));
    row.state->setAlignment(Qt::AlignCenter);
    row.state->setAccessibleName(tr("%1 state").arg(status.title));
    sizeRow(row);
    row.pause->setText(tr("Pause"));
    row.pause->setCheckable(true);
    row.pause->setAccessibleName(tr("Pause %1").arg(status.title));
    row.pause->setToolTip(tr("Stop applying events to the %1 view; they queue up in the log.").arg(status.title));
    row.retry->setText(tr("Retry"));
    row.retry->setAccessibleName(tr("Retry %1").arg(status.title));
    row.retry->setToolTip(tr("Try the failed event again"));
    row.retry->setVisible(false);
    const QString name = status.name;
    QToolButton* pause = row.pause;
    connect(row.pause, &QToolButton::toggled, this, [this, name, pause](bool on) {
        pause->setText(on ? tr("Resume") : tr("Pause"));
        Q_EMIT pauseToggled(name, on);
    });
    connect(row.retry, &QToolButton::clicked, this, [this, name] { Q_EMIT retryRequested(name); });
    grid->addWidget(row.title, line, 0);
    grid->addWidget(row.progress, line, 1);
    grid->addWidget(row.behind, line, 2);
    grid->addWidget(row.state, line, 3);
    grid->addWidget(row.pause, line, 4);
    grid->addWidget(row.retry, line, 5);
    m_rows.append(row);
    return m_rows.last();
}

void ProjectionPanel::applySnapshot(const LagSnapshot& snapshot)
{
    m_last = snapshot;
    for (const ProjectionLag& lag : snapshot.projections)
        showRow(rowFor(lag.status), lag, snapshot.head);
}

void ProjectionPanel::setViewsInUse(bool inUse)
{
    if (inUse == m_inUse)
        return;
    m_inUse = inUse;
    applySnapshot(m_last);
}

void ProjectionPanel::showRow(Row& row, const ProjectionLag& lag, qint64 snapshotHead)
{
    const qint64 head = std::max<qint64>(snapshotHead, 1);
    // QProgressBar is int-based; scale big logs down.
    const int scale = head > 1'000'000'000 ? 1000 : 1;
    // setValue() repaints at once, not at the next paint, whenever the bar
    // reaches its maximum (a caught-up view, so nearly every snapshot under
    // load); with updates off it cannot, and turning them on again
    // schedules one ordinary update (docs/benchmarks.md, target 6).
    row.progress->setUpdatesEnabled(false);
    row.progress->setRange(0, int(head / scale));
    row.progress->setValue(int(std::min(lag.status.checkpoint, head) / scale));
    row.progress->setFormat(formatCount(lag.status.checkpoint));
    row.progress->setUpdatesEnabled(true);
    row.progress->setToolTip(tr("Applied up to event %1 of %2").arg(formatCount(lag.status.checkpoint), formatCount(snapshotHead)));
    if (!m_inUse) {
        row.behind->setText(tr("not in use"));
        row.behind->setToolTip(tr("CRUD: the dashboard reads the write tables. The projector still folds "
                                  "the %1 view, so a switch back to CQRS is instant.")
                                   .arg(lag.status.title));
    } else if (lag.status.state == ProjectionState::Rebuilding && lag.status.rebuildTarget > 0) {
        row.behind->setText(tr("rebuilding: %1%").arg(100 * lag.status.rebuildDone / lag.status.rebuildTarget));
        row.behind->setToolTip(tr("Replaying the log into the emptied view: %1 of %2 events")
                                   .arg(formatCount(lag.status.rebuildDone), formatCount(lag.status.rebuildTarget)));
    } else if (lag.eventsBehind == 0) {
        row.behind->setText(tr("caught up"));
        row.behind->setToolTip(tr("Every committed event is in this view."));
    } else {
        row.behind->setText(tr("%1 behind · %2").arg(formatCount(lag.eventsBehind), durationText(lag.timeBehindMs)));
        row.behind->setToolTip(!lag.timeBehindProblem.isEmpty()
                                   ? tr("%1 events not yet applied. %2").arg(formatCount(lag.eventsBehind), lag.timeBehindProblem)
                                   : tr("%1 events not yet applied; the oldest has waited %2")
                                         .arg(formatCount(lag.eventsBehind), durationText(lag.timeBehindMs)));
    }
    if (!lag.status.notice.isEmpty())
        row.behind->setToolTip(lag.status.notice);
    Badge badge = badgeFor(lag);
    if (!m_inUse && lag.status.state != ProjectionState::Failed)
        badge = {tr("not in use"), QStringLiteral("#95a5a6")};
    row.state->setText(badge.text);
    const QString css = QStringLiteral("QLabel { color: white; background: %1; border-radius: 4px; padding: 1px 6px; }")
                            .arg(badge.background);
    if (row.state->styleSheet() != css) // re-parsing a style sheet 10×/s is not free
        row.state->setStyleSheet(css);
    row.state->setToolTip(lag.status.state == ProjectionState::Failed ? lag.status.error : lag.status.notice);
    row.retry->setVisible(lag.status.state == ProjectionState::Failed);
    row.pause->setEnabled(m_inUse);
    const QSignalBlocker blocker(row.pause);
    row.pause->setChecked(lag.status.knobs.paused);
    row.pause->setText(lag.status.knobs.paused ? tr("Resume") : tr("Pause"));
    row.title->setToolTip(lag.status.state == ProjectionState::Failed ? lag.status.error : QString());
}

bool ProjectionPanel::pauseEnabled(const QString& projection) const
{
    for (const Row& row : m_rows) {
        if (row.name == projection)
            return row.pause->isEnabled();
    }
    return false;
}

QString ProjectionPanel::stateText(const QString& projection) const
{
    for (const Row& row : m_rows) {
        if (row.name == projection)
            return row.state->text();
    }
    return {};
}

QString ProjectionPanel::behindText(const QString& projection) const
{
    for (const Row& row : m_rows) {
        if (row.name == projection)
            return row.behind->text();
    }
    return {};
}

} // namespace cqrs::ui
