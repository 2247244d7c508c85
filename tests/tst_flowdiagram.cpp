// The flow diagram and the consistency receipt. The diagram draws the parts
// and edges of each mode, found by their accessible names; its tokens move
// only as commits and checkpoints allow, never ahead of them; and in a real
// window an order's token waits at a paused projection, and its receipt
// shows the times the lab recorded.
#include "windowsupport.h"

#include "metrics/receiptrecorder.h"
#include "ui/checkoutform.h"
#include "ui/controlspanel.h"
#include "ui/dashboard.h"
#include "ui/eventstreammodel.h"
#include "ui/flowdiagram.h"
#include "ui/flownode.h"
#include "ui/flowtokens.h"
#include "ui/nodeexplanations.h"
#include "ui/projectionnode.h"
#include "ui/receiptdialog.h"
#include "ui/receiptopener.h"
#include "ui/receiptwaterfall.h"
#include "ui/recentordersmodel.h"
#include "ui/shownpositions.h"
#include "util/money.h"

#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTabBar>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QToolTip>

using namespace cqrs;
using namespace cqrs::test;
using namespace cqrs::ui;

namespace {
constexpr int timeoutMs = windowTimeoutMs;

/// A person's double click: press, release, then the second press that
/// the window system reports as a double click, and its release.
void doubleClick(QWidget* widget, QPoint at) {
    QTest::mousePress(widget, Qt::LeftButton, {}, at);
    QTest::mouseRelease(widget, Qt::LeftButton, {}, at);
    QTest::mouseDClick(widget, Qt::LeftButton, {}, at);
    QTest::mouseRelease(widget, Qt::LeftButton, {}, at);
}

const QStringList projectionTitles{
    QStringLiteral("Order summary"), QStringLiteral("Customer stats"),
    QStringLiteral("Product sales"), QStringLiteral("Revenue timeline"),
    QStringLiteral("Search index")};

SessionState stateFor(ArchitectureMode mode, bool synchronous) {
    SessionState state;
    state.phase = SessionState::Phase::Open;
    state.architecture = mode;
    state.journal =
        mode == ArchitectureMode::Crud ? JournalMode::Rollback : JournalMode::WriteAheadLog;
    state.synchronousUpdate = synchronous;
    state.synchronousUpdateActive = synchronous && mode != ArchitectureMode::Crud;
    state.writeDbPath = QStringLiteral("/tmp/lab/write.db");
    state.readDbPath = QStringLiteral("/tmp/lab/read.db");
    return state;
}

/// "✔ Order #123 accepted — event position 456." -> 456
qint64 acceptedPosition(const QString& answer) {
    const qsizetype at = answer.indexOf(QStringLiteral("event position "));
    if (at < 0 || !answer.contains(QStringLiteral("accepted")))
        return 0;
    return answer.mid(at + 15).section(u'.', 0, 0).toLongLong();
}

qint64 acceptedOrderId(const QString& answer) {
    const qsizetype hash = answer.indexOf(QStringLiteral("Order #"));
    if (hash < 0 || !answer.contains(QStringLiteral("accepted")))
        return 0;
    return answer.mid(hash + 7).section(u' ', 0, 0).toLongLong();
}

/// Every token past a projection's entry belongs to an event that projection has committed.
QString tokensAheadOfCheckpoints(const FlowTokens& tokens) {
    for (const FlowTokens::Token& token : tokens.tokens()) {
        if (token.projection < 0)
            continue;
        const bool past = token.from == FlowTokens::Stop::Entry ||
                          token.from == FlowTokens::Stop::Projection ||
                          token.from == FlowTokens::Stop::ReadStore;
        if (!past)
            continue;
        if (tokens.checkpoint(token.projection) < token.position)
            return QStringLiteral("event %1 is past projection %2's entry at checkpoint %3")
                .arg(token.position)
                .arg(token.projection)
                .arg(tokens.checkpoint(token.projection));
    }
    return {};
}

const FlowTokens::Token* tokenOf(const FlowTokens& tokens, qint64 position, int projection) {
    for (const FlowTokens::Token& token : tokens.tokens()) {
        if (token.position == position && token.projection == projection)
            return &token;
    }
    return nullptr;
}
} // namespace

class TestFlowDiagram final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QSettings().clear();
        ThreadAudit::clearViolations();
    }

    void cleanup() {
        QVERIFY(closeWindow(m_window));
        QVERIFY2(ThreadAudit::violationCount() == 0, qPrintable(auditReport()));
    }

    // --- The drawing, per mode ---------------------------------------------

    void eachModeDrawsItsPartsAndEdges_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("synchronous");
        QTest::addColumn<bool>("readYourWrites");
        QTest::addColumn<QStringList>("boxes");
        QTest::newRow("crud") << int(ArchitectureMode::Crud) << false << false
                              << QStringList{QStringLiteral("write.db (the only model)")};
        QTest::newRow("logical")
            << int(ArchitectureMode::Logical) << false << false
            << QStringList{QStringLiteral(
                   "one file: write.db holds the write tables, the event log and the views")};
        QTest::newRow("physical") << int(ArchitectureMode::Physical) << false << false
                                  << QStringList{QStringLiteral("write.db"),
                                                 QStringLiteral("read.db")};
        QTest::newRow("synchronous")
            << int(ArchitectureMode::Physical) << true << false
            << QStringList{
                   QStringLiteral("write.db"), QStringLiteral("read.db"),
                   QStringLiteral("one transaction per command: the answer waits for the views")};
        QTest::newRow("read-your-writes")
            << int(ArchitectureMode::Physical) << false << true
            << QStringList{QStringLiteral("write.db"), QStringLiteral("read.db")};
    }

    void eachModeDrawsItsPartsAndEdges() {
        QFETCH(int, mode);
        QFETCH(bool, synchronous);
        QFETCH(bool, readYourWrites);
        QFETCH(QStringList, boxes);
        const auto architecture = ArchitectureMode(mode);
        const bool crud = architecture == ArchitectureMode::Crud;
        FlowDiagram diagram;
        diagram.resize(1500, 260);
        diagram.showState(stateFor(architecture, synchronous));
        diagram.setConsistency(readYourWrites ? ConsistencyMode::ReadYourWrites
                                              : ConsistencyMode::Eventual);
        QCOMPARE(diagram.accessibleName(), QStringLiteral("Flow diagram"));

        QStringList names{QStringLiteral("Checkout form"), QStringLiteral("Simulated traffic"),
                          QStringLiteral("Command queue"), QStringLiteral("Command handler"),
                          QStringLiteral("Write store")};
        for (const QString& title : projectionTitles)
            names << title + QStringLiteral(" projection");
        names << QStringLiteral("Read store") << QStringLiteral("Query side")
              << QStringLiteral("Dashboard");
        for (const QString& name : std::as_const(names)) {
            FlowNode* node = diagram.node(name);
            QVERIFY2(node, qPrintable(name));
            const bool readSide = name.endsWith(QStringLiteral(" projection")) ||
                                  name == QStringLiteral("Read store");
            QCOMPARE(node->isInUse(), !(crud && readSide));
        }
        QCOMPARE(diagram.nodes().size(), names.size());

        QStringList edges{QStringLiteral("Checkout form → Command queue"),
                          QStringLiteral("Simulated traffic → Command queue"),
                          QStringLiteral("Command queue → Command handler"),
                          QStringLiteral("Command handler → Write store")};
        if (crud) {
            edges << QStringLiteral("Write store → Query side");
        } else {
            for (const QString& title : projectionTitles)
                edges << QStringLiteral("Write store → %1 projection").arg(title);
            for (const QString& title : projectionTitles)
                edges << QStringLiteral("%1 projection → Read store").arg(title);
            edges << QStringLiteral("Read store → Query side");
        }
        edges << QStringLiteral("Query side → Dashboard");
        QCOMPARE(diagram.edges(), edges);
        QCOMPARE(diagram.boxes(), boxes);

        const QString query = diagram.node(QStringLiteral("Query side"))->figures();
        if (crud)
            QVERIFY2(query.contains(QStringLiteral("joins the write tables")), qPrintable(query));
        else if (readYourWrites)
            QVERIFY2(query.contains(QStringLiteral("waits for your position")), qPrintable(query));
        else
            QVERIFY2(query.contains(QStringLiteral("what the views hold now")), qPrintable(query));
        // The stretch of time is said on screen.
        QVERIFY(
            diagram.caption().contains(QStringLiteral("at least %1 ms").arg(FlowTokens::stepMs)));
        QVERIFY(diagram.caption().contains(QStringLiteral("Every figure is measured")));
    }

    void everyPartIsExplainedFromTheResources() {
        FlowDiagram diagram;
        const NodeExplanations& texts = NodeExplanations::shipped();
        QVERIFY(texts.count() >= 9);
        for (FlowNode* node : diagram.nodes()) {
            QVERIFY2(texts.has(node->id()), qPrintable(node->id()));
            QVERIFY2(node->toolTip().contains(texts.text(node->id()).left(40).toHtmlEscaped()),
                     qPrintable(node->toolTip()));
        }
    }

    void clickingANodeSaysWhichOne() {
        FlowDiagram diagram;
        diagram.resize(1500, 260);
        diagram.show();
        QVERIFY(QTest::qWaitForWindowExposed(&diagram));
        QSignalSpy activated(&diagram, &FlowDiagram::nodeActivated);
        FlowNode* handler = diagram.node(QStringLiteral("Command handler"));
        QTest::mouseClick(handler, Qt::LeftButton, {}, handler->rect().center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("handler"));
        FlowNode* customers = diagram.node(QStringLiteral("Customer stats projection"));
        QTest::mouseClick(customers, Qt::LeftButton, {}, QPoint(12, customers->height() / 2));
        QCOMPARE(activated.size(), 2);
        QCOMPARE(activated.at(1).at(1).toString(), QStringLiteral("customer_stats"));
        // And with the keyboard.
        customers->setFocus();
        QTest::keyClick(customers, Qt::Key_Space);
        QCOMPARE(activated.size(), 3);
    }

    // --- The tokens ---------------------------------------------------------

    void aCommandWaitsAtTheHandlerUntilItCommits() {
        FlowTokens tokens;
        tokens.setProjections(5, true);
        for (int p = 0; p < 5; ++p)
            tokens.setCheckpoint(p, 41);
        tokens.addOwnCommand(1, 0);
        tokens.advance(10'000);
        QCOMPARE(tokens.tokens().size(), size_t(1));
        const FlowTokens::Token& held = tokens.tokens().front();
        QCOMPARE(held.to, FlowTokens::Stop::Handler);
        QVERIFY(held.waiting);
        QCOMPARE(held.position, 0);

        tokens.committed(1, 42, 10'000);
        tokens.advance(20'000);
        // One token per projection, each held before its projection.
        QCOMPARE(tokens.tokens().size(), size_t(5));
        for (int p = 0; p < 5; ++p) {
            QCOMPARE(tokens.waitingAt(p), 1);
            QCOMPARE(tokenOf(tokens, 42, p)->to, FlowTokens::Stop::Entry);
        }
        tokens.setCheckpoint(2, 42);
        tokens.advance(20'000 + FlowTokens::stepMs / 2);
        QCOMPARE(tokens.waitingAt(2), 0);
        QVERIFY(tokenOf(tokens, 42, 2)->from == FlowTokens::Stop::Entry);
        tokens.advance(40'000);
        QVERIFY(!tokenOf(tokens, 42, 2)); // arrived, gone
        QCOMPARE(tokens.waitingAt(1), 1);
        QVERIFY2(tokensAheadOfCheckpoints(tokens).isEmpty(),
                 qPrintable(tokensAheadOfCheckpoints(tokens)));
    }

    void aRejectedCommandNeverReachesTheStore() {
        FlowTokens tokens;
        tokens.setProjections(5, true);
        tokens.addOwnCommand(7, 0);
        tokens.advance(5'000);
        tokens.committed(7, 0, 5'000);
        tokens.advance(10'000);
        QVERIFY(tokens.isIdle());
    }

    void inCrudTokensStopAtTheWriteStore() {
        FlowTokens tokens;
        tokens.setProjections(5, false);
        tokens.addCommitted(FlowTokens::Stop::Traffic, 9, 0);
        tokens.advance(10'000);
        QVERIFY(tokens.isIdle());
    }

    void noTokenIsEverAheadOfItsProjection() {
        // Seeded random commits, checkpoints and frames.
        QRandomGenerator random(1414);
        FlowTokens tokens;
        tokens.setProjections(5, true);
        QList<qint64> checkpoints(5, 0);
        qint64 head = 0;
        qint64 now = 0;
        int serial = 0;
        QList<int> unanswered;
        for (int step = 0; step < 20'000; ++step) {
            now += random.bounded(40);
            switch (random.bounded(5)) {
            case 0:
                tokens.addOwnCommand(++serial, now);
                unanswered << serial;
                break;
            case 1:
                if (!unanswered.isEmpty())
                    tokens.committed(unanswered.takeFirst(), random.bounded(10) == 0 ? 0 : ++head,
                                     now);
                break;
            case 2:
                tokens.addCommitted(FlowTokens::Stop::Traffic, ++head, now);
                break;
            case 3: {
                const int p = random.bounded(5);
                checkpoints[p] = std::min(head, checkpoints[p] + random.bounded(4));
                tokens.setCheckpoint(p, checkpoints[p]);
                break;
            }
            default:
                break;
            }
            tokens.advance(now);
            QVERIFY(tokens.tokens().size() <= size_t(FlowTokens::maxTokens));
            const QString ahead = tokensAheadOfCheckpoints(tokens);
            QVERIFY2(ahead.isEmpty(),
                     qPrintable(QStringLiteral("step %1: %2").arg(step).arg(ahead)));
        }
    }

    void shownPositionsKnowOnlyWhatTheyWatched() {
        ShownPositions shown;
        QVERIFY(!shown.firstShownNs(5));
        shown.shown(100, 1'000); // the first answer: what it holds was there before
        QVERIFY(!shown.firstShownNs(100));
        QVERIFY(!shown.firstShownNs(101));
        shown.shown(105, 2'000);
        shown.shown(105, 3'000);
        shown.shown(110, 4'000);
        QCOMPARE(*shown.firstShownNs(101), 2'000);
        QCOMPARE(*shown.firstShownNs(105), 2'000);
        QCOMPARE(*shown.firstShownNs(106), 4'000);
        QVERIFY(!shown.firstShownNs(111));
        for (int i = 1; i <= ShownPositions::capacity; ++i)
            shown.shown(110 + i, 4'000 + i);
        QVERIFY(!shown.firstShownNs(106)); // no longer kept: unknown, not a guess
        QCOMPARE(*shown.firstShownNs(110 + ShownPositions::capacity),
                 4'000 + ShownPositions::capacity);
    }

    // --- In a real window ---------------------------------------------------

    void anOrdersTokenWaitsAtAPausedProjectionAndArrivesOnResume() {
        openLab();
        FlowDiagram* diagram = m_window->diagram();
        auto* pause = byName<QToolButton>(diagram, QStringLiteral("Pause Customer stats"));
        QVERIFY(pause);
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(diagram->stateText(QStringLiteral("customer_stats")),
                                  QStringLiteral("paused"), timeoutMs);

        const qint64 position = placeOrder();
        QVERIFY(position > 0);
        const int customers = 1; // the diagram's second projection
        QTRY_VERIFY_WITH_TIMEOUT(tokenOf(diagram->tokens(), position, customers) &&
                                     tokenOf(diagram->tokens(), position, customers)->waiting,
                                 timeoutMs);
        QCOMPARE(tokenOf(diagram->tokens(), position, customers)->to, FlowTokens::Stop::Entry);
        // The others have it: their tokens go on and arrive.
        QTRY_VERIFY_WITH_TIMEOUT(!tokenOf(diagram->tokens(), position, 0), timeoutMs);
        // For ten lag snapshots (a second): it waits, and nothing is shown applied early.
        QSignalSpy snapshots(m_window->session(), &LabSession::snapshotReady);
        for (int snapshot = 0; snapshot < 10; ++snapshot) {
            QVERIFY(snapshots.wait(timeoutMs));
            const QString ahead = tokensAheadOfCheckpoints(diagram->tokens());
            QVERIFY2(ahead.isEmpty(), qPrintable(ahead));
            const FlowTokens::Token* held = tokenOf(diagram->tokens(), position, customers);
            QVERIFY(held && held->waiting && held->to == FlowTokens::Stop::Entry);
            QVERIFY(realCheckpoints().value(customers) <
                    position); // the lab has not applied it either
        }
        QVERIFY(diagram->behindText(QStringLiteral("customer_stats"))
                    .contains(QStringLiteral("behind")));

        QTest::mouseClick(pause, Qt::LeftButton); // Resume
        QTRY_VERIFY_WITH_TIMEOUT(!tokenOf(diagram->tokens(), position, customers), timeoutMs);
        QVERIFY(realCheckpoints().value(customers) >= position);
    }

    void clickingAPartInTheWindowExplainsIt() {
        openLab();
        FlowNode* handler = m_window->diagram()->node(QStringLiteral("Command handler"));
        QVERIFY(handler);
        QTest::mouseClick(handler, Qt::LeftButton, {}, handler->rect().center());
        // Shown in the release's handling, and not hidden by the rest of it.
        QVERIFY(QToolTip::isVisible());
        const QString expected =
            NodeExplanations::shipped().text(handler->id()).left(40).toHtmlEscaped();
        QVERIFY2(QToolTip::text().contains(expected), qPrintable(QToolTip::text()));
        QToolTip::hideText();
    }

    void followingAnOrderShowsItsReceipt() {
        openLab();
        m_window->controls()->setDelay(300, 0);
        const qint64 position = placeOrder();
        QVERIFY(position > 0);
        QPushButton* follow = m_window->checkoutForm()->followButton();
        QVERIFY(follow->isVisible());
        QTest::mouseClick(follow, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->receipts()->dialog() &&
                                     m_window->receipts()->dialog()->isVisible(),
                                 timeoutMs);
        ReceiptDialog* dialog = m_window->receipts()->dialog();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->receipt().complete(), timeoutMs);
        const ConsistencyReceipt& shown = dialog->receipt();
        QCOMPARE(shown.event.position, position);
        QCOMPARE(shown.event.type, EventType::OrderPlaced);
        QVERIFY(shown.recorded);
        QVERIFY(shown.submittedNs <= shown.committedNs);
        for (const ReceiptStep& step : shown.projections) {
            QVERIFY2(step.afterCommitMs && *step.afterCommitMs >= 300.0,
                     qPrintable(step.projection));
        }

        // It is what core holds, asked again.
        bool answered = false;
        ConsistencyReceipt fresh;
        m_window->session()->receipt(position).then(this, [&](const ConsistencyReceipt& r) {
            fresh = r;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, timeoutMs);
        QCOMPARE(fresh.committedNs, shown.committedNs);
        QCOMPARE(fresh.submittedNs, shown.submittedNs);
        QCOMPARE(fresh.projections.size(), shown.projections.size());
        for (qsizetype p = 0; p < fresh.projections.size(); ++p)
            QCOMPARE(*fresh.projections.at(p).afterCommitMs,
                     *shown.projections.at(p).afterCommitMs);

        // The waterfall: submit ≤ commit ≤ each applied, then shown.
        QTRY_VERIFY_WITH_TIMEOUT(dialog->waterfall()->rows().size() >= 7 &&
                                     dialog->waterfall()->rows().at(6).startMs.has_value(),
                                 timeoutMs);
        const QList<ReceiptWaterfall::Row> rows = dialog->waterfall()->rows();
        QCOMPARE(rows.at(0).label,
                 QStringLiteral("Committed (position %1)").arg(formatCount(position)));
        QCOMPARE(*rows.at(0).startMs, 0.0);
        const double commit = *rows.at(0).endMs;
        QCOMPARE(commit, shown.submitToCommitMs);
        for (int r = 1; r <= 5; ++r) {
            QCOMPARE(*rows.at(r).startMs, commit);
            QVERIFY(*rows.at(r).endMs >= commit + 300.0);
        }
        QCOMPARE(rows.at(6).label, QStringLiteral("Shown on the dashboard"));
        QVERIFY(*rows.at(6).startMs >=
                *rows.at(1).endMs); // the orders table shows it after its view has it
        QVERIFY2(dialog->summaryText().contains(QStringLiteral("Every projection applied it")),
                 qPrintable(dialog->summaryText()));
        QVERIFY(dialog->detailsText().contains(QStringLiteral("OrderPlaced")));

        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->receipts()->dialog(), timeoutMs);
    }

    void aFollowedOrderWaitingAtAPausedViewIsHighlighted() {
        openLab();
        FlowDiagram* diagram = m_window->diagram();
        QTest::mouseClick(byName<QToolButton>(diagram, QStringLiteral("Pause Order summary")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(diagram->stateText(QStringLiteral("order_summary")),
                                  QStringLiteral("paused"), timeoutMs);
        const qint64 position = placeOrder();
        QVERIFY(position > 0);
        QTest::mouseClick(m_window->checkoutForm()->followButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->receipts()->dialog() &&
                                     m_window->receipts()->dialog()->receipt().found,
                                 timeoutMs);
        ReceiptDialog* dialog = m_window->receipts()->dialog();
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog->summaryText().contains(QStringLiteral("Not applied yet by: Order summary")),
            timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            diagram->projectionNode(QStringLiteral("order_summary"))->isHighlighted(), timeoutMs);
        // Customer stats has it; its node stops pointing there once its figures say so.
        QTRY_VERIFY_WITH_TIMEOUT(
            !diagram->projectionNode(QStringLiteral("customer_stats"))->isHighlighted(), timeoutMs);

        QTest::mouseClick(byName<QToolButton>(diagram, QStringLiteral("Pause Order summary")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->receipt().complete(), timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            !diagram->projectionNode(QStringLiteral("order_summary"))->isHighlighted(), timeoutMs);
        dialog->close();
    }

    void doubleClickingAnOrderOrAnEventOpensItsReceipt() {
        openLab();
        const qint64 position = placeOrder();
        const qint64 orderId = acceptedOrderId(m_window->checkoutForm()->answerText());
        QVERIFY(orderId > 0);
        Dashboard* dashboard = m_window->dashboard();
        QTRY_VERIFY_WITH_TIMEOUT(dashboard->recentOrders()->rowByKey(orderId) &&
                                     !dashboard->recentOrders()->rowByKey(orderId)->pending,
                                 timeoutMs);

        // Recent orders: the order's row.
        auto* orders = byName<QTableView>(dashboard, QStringLiteral("Recent orders"));
        QVERIFY(orders);
        const QModelIndex first = orders->model()->index(0, 0);
        QCOMPARE(first.data(KeyRole).toLongLong(), orderId);
        doubleClick(orders->viewport(), orders->visualRect(first).center());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->receipts()->dialog(), timeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(m_window->receipts()->dialog()->receipt().found,
                                  qPrintable(m_window->receipts()->dialog()->summaryText()),
                                  timeoutMs);
        QCOMPARE(m_window->receipts()->dialog()->receipt().event.aggregateId, orderId);
        QCOMPARE(m_window->receipts()->dialog()->receipt().event.position, position);
        m_window->receipts()->dialog()->close();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->receipts()->dialog(), timeoutMs);

        // The event stream: the event whole.
        QTabBar* tabs = dashboard->tabs()->tabBar();
        QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(5).center());
        QCOMPARE(dashboard->tabs()->currentIndex(), 5);
        auto* events = byName<QTableView>(dashboard, QStringLiteral("Event stream"));
        QVERIFY(events);
        QTRY_VERIFY_WITH_TIMEOUT(events->model()->rowCount() > 0 &&
                                     events->model()
                                             ->index(0, EventStreamModel::PositionColumn)
                                             .data(KeyRole)
                                             .toLongLong() == position,
                                 timeoutMs);
        const QModelIndex newest = events->model()->index(0, EventStreamModel::SummaryColumn);
        doubleClick(events->viewport(), events->visualRect(newest).center());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->receipts()->dialog() &&
                                     m_window->receipts()->dialog()->receipt().found,
                                 timeoutMs);
        const QString details = m_window->receipts()->dialog()->detailsText();
        for (const QString& part : {QStringLiteral("OrderPlaced"), formatCount(position),
                                    QStringLiteral("form"), QStringLiteral("\"lines\"")})
            QVERIFY2(details.contains(part),
                     qPrintable(part + QStringLiteral(" not in ") + details));
        QVERIFY(details.contains(m_window->receipts()->dialog()->receipt().event.commandId.toString(
            QUuid::WithoutBraces)));
        m_window->receipts()->dialog()->close();
    }

    void anEventWhoseTimesWereNotKeptSaysSo() {
        openLab();
        // The demo catalog's events were written before this run's recorder existed.
        m_window->receipts()->openPosition(1);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->receipts()->dialog() &&
                                     m_window->receipts()->dialog()->receipt().found,
                                 timeoutMs);
        ReceiptDialog* dialog = m_window->receipts()->dialog();
        QVERIFY(!dialog->receipt().recorded);
        QVERIFY2(dialog->summaryText().contains(QStringLiteral("were not recorded")),
                 qPrintable(dialog->summaryText()));
        QVERIFY(dialog->summaryText().contains(formatCount(ReceiptRecorder::capacity)));
        QVERIFY(dialog->waterfall()->rows().isEmpty()); // nothing estimated
        dialog->close();
    }

private:
    void openLab() {
        QVERIFY(m_dir.isValid());
        m_window = openWindow(m_dir.path() + QStringLiteral("/run") + QString::number(++m_run));
        QVERIFY(waitForCatalog(m_window.get()));
    }

    /// Places an order with the mouse and keys; its event position.
    qint64 placeOrder() {
        CheckoutForm* form = m_window->checkoutForm();
        typeCustomer(form, form->customerPicker()->itemText(0));
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        if (!QTest::qWaitFor([form] { return acceptedPosition(form->answerText()) > 0; },
                             timeoutMs))
            return 0;
        return acceptedPosition(form->answerText());
    }

    /// The checkpoints the lab reported last, in the diagram's order.
    QList<qint64> realCheckpoints() const {
        QList<qint64> checkpoints;
        for (const QString& name :
             {QStringLiteral("order_summary"), QStringLiteral("customer_stats"),
              QStringLiteral("product_sales"), QStringLiteral("revenue_timeline"),
              QStringLiteral("search_index")}) {
            qint64 checkpoint = 0;
            for (const ProjectionLag& lag : m_window->dashboard()->lastSnapshot().projections) {
                if (lag.status.name == name)
                    checkpoint = lag.status.checkpoint;
            }
            checkpoints << checkpoint;
        }
        return checkpoints;
    }

    QTemporaryDir m_dir;
    int m_run = 0;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestFlowDiagram)
#include "tst_flowdiagram.moc"
