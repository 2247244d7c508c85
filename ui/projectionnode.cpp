#include "ui/projectionnode.h"

#include "ui/checkpointbar.h"
#include "ui/projectionlook.h"
#include "util/money.h"

#include <QEvent>
#include <QLabel>
#include <QToolButton>

namespace cqrs::ui {

ProjectionNode::ProjectionNode(const QString& name, const QString& title, QWidget* parent)
    : FlowNode(QStringLiteral("projection"), title, parent, Shape::Row)
    , m_name(name)
    , m_bar(new CheckpointBar(this))
    , m_badge(new QLabel(this))
    , m_pause(new QToolButton(this))
    , m_retry(new QToolButton(this)) {
    setAccessibleName(tr("%1 projection").arg(title));
    m_bar->setAccessibleName(tr("%1 progress").arg(title));
    m_badge->setAccessibleName(tr("%1 state").arg(title));
    m_badge->setAlignment(Qt::AlignCenter);
    m_badge->setAutoFillBackground(true);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setAccessibleName(tr("Pause %1").arg(title));
    m_pause->setToolTip(
        tr("Stop applying events to the %1 view; they queue up in the log.").arg(title));
    m_retry->setText(tr("Retry"));
    m_retry->setAccessibleName(tr("Retry %1").arg(title));
    m_retry->setToolTip(tr("Try the failed event again"));
    m_retry->setVisible(false);
    addBesideFigures(m_bar);
    addToTitleRow(m_badge);
    addToTitleRow(m_pause);
    addToTitleRow(m_retry);
    figuresLabel()->setAccessibleName(tr("%1 lag").arg(title));
    connect(m_pause, &QToolButton::toggled, this, [this](bool on) {
        m_pause->setText(on ? tr("Resume") : tr("Pause"));
        Q_EMIT pauseToggled(m_name, on);
    });
    connect(m_retry, &QToolButton::clicked, this, [this] { Q_EMIT retryRequested(m_name); });
    sizeParts();
}

void ProjectionNode::sizeParts() {
    const QFontMetrics metrics = fontMetrics();
    m_bar->setFixedHeight(metrics.height() + 2);
    m_bar->setFixedWidth(metrics.horizontalAdvance(QStringLiteral("999,999")) + 10);
    m_badgeWidth = metrics.horizontalAdvance(QStringLiteral("catching up")) + 10;
    m_badge->setMinimumWidth(
        std::max(m_badgeWidth, metrics.horizontalAdvance(m_badge->text()) + 10));
    // The same title width in every row, so the bars line up.
    QFont bold = font();
    bold.setBold(true);
    titleLabel()->setMinimumWidth(
        QFontMetrics(bold).horizontalAdvance(QStringLiteral("Revenue timeline")) + 4);
    // The figures take what the row leaves (their whole text is in the tooltip).
    figuresLabel()->setMinimumWidth(
        metrics.horizontalAdvance(QStringLiteral("999 behind · 999 ms")));
    figuresLabel()->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    // A background the badge paints itself: a style sheet would keep the font it was polished with.
    m_badge->setFont(font());
}

void ProjectionNode::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange)
        sizeParts();
    FlowNode::changeEvent(event);
}

void ProjectionNode::showLag(const ProjectionLag& lag, qint64 head, bool inUse) {
    m_lag = lag;
    const ProjectionLook look = ProjectionLook::of(lag, inUse);
    m_bar->showProgress(lag.status.checkpoint, head);
    m_bar->setToolTip(tr("Applied up to event %1 of %2")
                          .arg(formatCount(lag.status.checkpoint), formatCount(head)));
    m_bar->setEnabled(inUse);
    m_behindText = look.behind;
    QString figures = look.behind;
    // The injected delay goes into the badge: the row has room for one short state.
    QString badge = look.badge;
    const bool delayed = lag.status.knobs.delayApplies();
    if (delayed && lag.status.state == ProjectionState::Live && inUse)
        badge = lag.status.knobs.jitterMs > 0
                    ? tr("delay %1 ± %2")
                          .arg(durationText(lag.status.knobs.delayMs),
                               durationText(lag.status.knobs.jitterMs))
                    : tr("delay %1").arg(durationText(lag.status.knobs.delayMs));
    else if (delayed && inUse)
        figures += tr(" · delay %1").arg(durationText(lag.status.knobs.delayMs));
    const bool failed = lag.status.state == ProjectionState::Failed;
    if (failed) {
        figures = tr("stopped at event %1 · %2")
                      .arg(formatCount(lag.status.failedPosition > 0 ? lag.status.failedPosition
                                                                     : lag.status.checkpoint + 1),
                           look.behind);
        m_behindText = figures;
    }
    setFigures(figures, failed);
    figuresLabel()->setToolTip(look.behindToolTip);
    if (m_badge->text() != badge) {
        m_badge->setText(badge);
        m_badge->setMinimumWidth(
            std::max(m_badgeWidth, fontMetrics().horizontalAdvance(badge) + 10));
    }
    QPalette palette = m_badge->palette();
    if (palette.color(QPalette::Window) != look.colour) {
        palette.setColor(QPalette::Window, look.colour);
        palette.setColor(QPalette::WindowText, Qt::white);
        m_badge->setPalette(palette);
    }
    m_badge->setToolTip(lag.status.state == ProjectionState::Failed ? lag.status.error
                                                                    : lag.status.notice);
    setStateColour(look.colour);
    setInUse(inUse);
    m_retry->setVisible(lag.status.state == ProjectionState::Failed);
    m_pause->setEnabled(inUse);
    const QSignalBlocker blocker(m_pause);
    m_pause->setChecked(lag.status.knobs.paused);
    m_pause->setText(lag.status.knobs.paused ? tr("Resume") : tr("Pause"));
}

QString ProjectionNode::stateText() const {
    return m_badge->text();
}

QString ProjectionNode::behindText() const {
    return m_behindText;
}

} // namespace cqrs::ui
