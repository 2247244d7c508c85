#include "ui/receiptdialog.h"

#include "commands/commands.h"
#include "lab/labsession.h"
#include "metrics/receiptrecorder.h"
#include "ui/receiptwaterfall.h"
#include "util/money.h"
#include "util/whenready.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cqrs::ui {

namespace {
/// Milliseconds as precise as they are small: "0.042 ms", "3.1 ms", "1,250 ms".
QString ms(double value) {
    if (value < 1)
        return QStringLiteral("%1 ms").arg(value, 0, 'f', 3);
    if (value < 10)
        return QStringLiteral("%1 ms").arg(value, 0, 'f', 2);
    if (value < 100)
        return QStringLiteral("%1 ms").arg(value, 0, 'f', 1);
    return QStringLiteral("%1 ms").arg(formatCount(qRound64(value)));
}
} // namespace

ReceiptDialog::ReceiptDialog(LabSession* session, ShownAt shownAt, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_shownAt(std::move(shownAt))
    , m_summary(new QLabel(this))
    , m_waterfall(new ReceiptWaterfall(this))
    , m_details(new QLabel(this))
    , m_payload(new QPlainTextEdit(this)) {
    setWindowTitle(tr("Consistency receipt"));
    setAccessibleName(tr("Consistency receipt"));
    m_summary->setAccessibleName(tr("Receipt summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAccessibleName(tr("Event details"));
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_payload->setAccessibleName(tr("Event payload"));
    m_payload->setReadOnly(true);
    m_payload->setMaximumBlockCount(2000);
    m_payload->setFont(QFont(QStringLiteral("monospace")));

    auto* eventBox = new QGroupBox(tr("The event"), this);
    auto* eventLayout = new QVBoxLayout(eventBox);
    eventLayout->addWidget(m_details);
    eventLayout->addWidget(m_payload, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_waterfall);
    layout->addWidget(eventBox, 1);
    layout->addWidget(buttons);
    resize(720, 560);

    // While projections still have to apply it, ask again a few times a second.
    m_again.setInterval(250);
    m_again.setSingleShot(true);
    connect(&m_again, &QTimer::timeout, this, &ReceiptDialog::ask);
}

void ReceiptDialog::showPosition(qint64 position) {
    forgetAsked();
    m_position = position;
    m_orderId = 0;
    m_summary->setText(tr("Looking up event %1…").arg(formatCount(position)));
    ask();
}

void ReceiptDialog::showOrder(qint64 orderId) {
    forgetAsked();
    m_position = 0;
    m_orderId = orderId;
    m_summary->setText(tr("Looking up order #%1…").arg(orderId));
    ask();
}

void ReceiptDialog::forgetAsked() {
    // An answer still on its way is about the receipt shown before.
    ++m_request;
    m_asking = false;
    m_again.stop();
    m_receipt = {};
    m_completeClock.invalidate();
}

void ReceiptDialog::ask() {
    if (!m_session) {
        m_summary->setText(tr("The lab closed or restarted: its receipts are gone with it."));
        return;
    }
    if (m_asking)
        return;
    m_asking = true;
    const quint64 request = ++m_request;
    const QFuture<ConsistencyReceipt> answer =
        m_position > 0 ? m_session->receipt(m_position) : m_session->orderReceipt(m_orderId);
    whenReady(answer, this, [this, request](const ConsistencyReceipt& receipt) {
        if (request != m_request)
            return; // about the receipt shown before: the newer request is still asking
        m_asking = false;
        present(receipt);
    });
}

void ReceiptDialog::present(const ConsistencyReceipt& receipt) {
    if (!receipt.meta.ok()) {
        m_summary->setText(
            tr("<b>The receipt could not be read:</b> %1").arg(receipt.meta.error.toHtmlEscaped()));
        return;
    }
    if (!receipt.found) {
        m_summary->setText(
            m_position > 0 ? tr("The event log has no event %1.").arg(formatCount(m_position))
                           : tr("The event log has no event placing order #%1.").arg(m_orderId));
        m_waterfall->setRows({});
        return;
    }
    m_receipt = receipt;
    if (m_position != receipt.event.position) {
        m_position = receipt.event.position; // an order's: from now on by its position
        Q_EMIT following(m_position);
    }
    showDetails(receipt.event);
    showWaterfall(receipt);
    // Once every projection has it, the dashboard shows it within a refresh
    // or two; a position the window never watched stays unknown, so stop.
    const bool shownKnown = m_shownAt && m_shownAt(m_position).has_value();
    if (receipt.complete() && !m_completeClock.isValid())
        m_completeClock.start();
    const bool mayStillBeShown = !shownKnown && !receipt.projections.isEmpty() &&
                                 (!m_completeClock.isValid() || m_completeClock.elapsed() < 10'000);
    if (receipt.recorded && isVisible() && (!receipt.complete() || mayStillBeShown))
        m_again.start();
}

void ReceiptDialog::showWaterfall(const ConsistencyReceipt& receipt) {
    const QString what =
        tr("event %1, %2")
            .arg(formatCount(receipt.event.position), eventTypeName(receipt.event.type));
    if (!receipt.recorded) {
        m_summary->setText(tr("<b>%1.</b> Its times were not recorded: the lab keeps them for the "
                              "newest %2 positions "
                              "of this run only (the oldest kept now is %3). Nothing is estimated.")
                               .arg(what.toHtmlEscaped(), formatCount(ReceiptRecorder::capacity),
                                    formatCount(receipt.oldestRecorded)));
        m_waterfall->setRows({});
        return;
    }
    QList<ReceiptWaterfall::Row> rows;
    const double commit = receipt.submitToCommitMs;
    rows.append({tr("Committed (position %1)").arg(formatCount(receipt.event.position)), 0.0,
                 commit, tr("%1 after submit").arg(ms(commit))});
    double slowest = 0;
    QStringList waiting;
    for (const ReceiptStep& step : receipt.projections) {
        if (step.afterCommitMs) {
            slowest = std::max(slowest, *step.afterCommitMs);
            rows.append({tr("Applied: %1").arg(step.title), commit, commit + *step.afterCommitMs,
                         tr("%1 after commit").arg(ms(*step.afterCommitMs))});
        } else {
            waiting << step.title;
            rows.append({tr("Applied: %1").arg(step.title), commit, std::nullopt,
                         tr("not applied yet"), true});
        }
    }
    const std::optional<qint64> shown =
        m_shownAt ? m_shownAt(receipt.event.position) : std::nullopt;
    if (shown) {
        const double after = (*shown - receipt.committedNs) / 1e6;
        rows.append({tr("Shown on the dashboard"), commit + after, commit + after,
                     tr("%1 after commit").arg(ms(after))});
    } else {
        rows.append({tr("Shown on the dashboard"), std::nullopt, std::nullopt,
                     tr("not seen by this window's order table yet")});
    }
    if (receipt.readWaitMs)
        rows.append({tr("Read-your-writes wait"), std::nullopt, std::nullopt,
                     tr("a query waited %1 for it").arg(ms(*receipt.readWaitMs))});
    m_waterfall->setRows(rows);

    QString summary = tr("<b>%1</b> — committed %2 after it was submitted. ")
                          .arg(what.toHtmlEscaped(), ms(commit));
    if (waiting.isEmpty())
        summary +=
            tr("Every projection applied it; the slowest %1 after the commit.").arg(ms(slowest));
    else
        summary += tr("Not applied yet by: %1. Its token waits there on the diagram.")
                       .arg(waiting.join(QStringLiteral(", ")).toHtmlEscaped());
    m_summary->setText(summary);
}

void ReceiptDialog::showDetails(const Event& event) {
    const QString committed = event.committedAtMs > 0
                                  ? QDateTime::fromMSecsSinceEpoch(event.committedAtMs)
                                        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                                  : tr("unknown");
    m_details->setText(tr("<table>"
                          "<tr><td>Type</td><td><b>%1</b> — %7</td></tr>"
                          "<tr><td>Position</td><td>%2</td></tr>"
                          "<tr><td>Aggregate</td><td>%3</td></tr>"
                          "<tr><td>Origin</td><td>%4</td></tr>"
                          "<tr><td>Command id&nbsp;</td><td>%5</td></tr>"
                          "<tr><td>Committed at</td><td>%6</td></tr>"
                          "</table>")
                           .arg(eventTypeName(event.type), formatCount(event.position),
                                QString::number(event.aggregateId), originName(event.origin),
                                event.commandId.toString(QUuid::WithoutBraces), committed)
                           .arg(event.summary().toHtmlEscaped()));
    m_payload->setPlainText(
        QString::fromUtf8(QJsonDocument(event.payload).toJson(QJsonDocument::Indented)));
}

QString ReceiptDialog::summaryText() const {
    return m_summary->text();
}
QString ReceiptDialog::detailsText() const {
    return m_details->text() + m_payload->toPlainText();
}

void ReceiptDialog::showEvent(QShowEvent* event) {
    QDialog::showEvent(event);
    if (m_position > 0)
        Q_EMIT following(m_position);
}

void ReceiptDialog::hideEvent(QHideEvent* event) {
    m_again.stop();
    Q_EMIT following(0);
    QDialog::hideEvent(event);
}

} // namespace cqrs::ui
