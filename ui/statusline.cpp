#include "ui/statusline.h"

#include "util/money.h"

#include <QLabel>
#include <QStatusBar>

namespace cqrs::ui {

StatusLine::StatusLine(QStatusBar* bar)
    : QObject(bar)
    , m_warning(new QLabel(bar))
    , m_mode(new QLabel(bar))
    , m_head(new QLabel(bar))
    , m_rate(new QLabel(bar))
{
    m_warning->setStyleSheet(QStringLiteral("QLabel { color: #a93226; font-weight: bold; }"));
    m_warning->setAccessibleName(tr("Store warning"));
    m_warning->setVisible(false);
    m_mode->setAccessibleName(tr("Mode"));
    m_head->setAccessibleName(tr("Head position"));
    m_rate->setAccessibleName(tr("Rates"));
    for (QLabel* label : {m_mode, m_head, m_rate})
        label->setContentsMargins(10, 0, 10, 0);
    bar->addWidget(m_warning, 1);
    bar->addPermanentWidget(m_mode);
    bar->addPermanentWidget(m_head);
    bar->addPermanentWidget(m_rate);
}

void StatusLine::showState(const SessionState& state)
{
    const QString journal = state.journal == JournalMode::Rollback ? tr("rollback journal") : tr("WAL");
    // CRUD has no read model to update: no update mode to name.
    m_mode->setText(state.architecture == ArchitectureMode::Crud
                        ? tr("CRUD · %1").arg(journal)
                        : tr("%1 · %2 · %3")
                              .arg(architectureModeName(state.architecture).toUpper(), journal,
                                   state.synchronousUpdateActive ? tr("sync update") : tr("async update")));
}

void StatusLine::showSnapshot(const LagSnapshot& snapshot)
{
    showHead(snapshot.head);
    m_warning->setVisible(!snapshot.storeWarnings.isEmpty());
    m_warning->setText(snapshot.storeWarnings.value(0));
    m_warning->setToolTip(snapshot.storeWarnings.join(u'\n'));
    showRate(snapshot);
}

void StatusLine::showHead(qint64 head)
{
    if (head <= m_shownHead)
        return;
    m_shownHead = head;
    m_head->setText(tr("head position %1").arg(formatCount(head)));
}

void StatusLine::showReopening() { m_mode->setText(tr("reopening the store…")); }

void StatusLine::restartRate()
{
    m_rateWindowStartNs = 0;
    m_shownHead = 0; // a new store may start lower
}

QString StatusLine::warningText() const { return m_warning->isVisible() ? m_warning->text() : QString(); }

void StatusLine::showRate(const LagSnapshot& snapshot)
{
    const qint64 commands = snapshot.write.commandsAccepted + snapshot.write.commandsRejected;
    if (m_rateWindowStartNs != 0 && snapshot.takenAtNs - m_rateWindowStartNs < 1'000'000'000)
        return;
    if (m_rateWindowStartNs != 0) {
        const double seconds = (snapshot.takenAtNs - m_rateWindowStartNs) / 1e9;
        m_rate->setText(tr("%1 commands/s · %2 events/s")
                            .arg(qRound((commands - m_rateCommands) / seconds))
                            .arg(qRound((snapshot.head - m_rateEvents) / seconds)));
    }
    m_rateWindowStartNs = snapshot.takenAtNs;
    m_rateCommands = commands;
    m_rateEvents = snapshot.head;
}

} // namespace cqrs::ui
