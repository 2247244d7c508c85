// Short, deterministic versions of every headless scenario: they must end
// with the read side caught up and a report whose numbers add up. Counts and
// consistency only; never timings.
#include "sim/headlessrun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;

namespace {

struct Outcome
{
    int exitCode = -1;
    QJsonObject report;
    QString out;
    QString err;
};

Outcome runScenario(HeadlessOptions options)
{
    Outcome outcome;
    QTextStream out(&outcome.out);
    QTextStream err(&outcome.err);
    HeadlessRun run(options, out, err);
    QSignalSpy finished(&run, &HeadlessRun::finished);
    run.start();
    if (!finished.wait(240'000))
        return outcome;
    outcome.exitCode = finished.first().first().toInt();
    QFile file(options.reportPath);
    if (file.open(QIODevice::ReadOnly))
        outcome.report = QJsonDocument::fromJson(file.readAll()).object();
    return outcome;
}

/// The fields every phase of every scenario must report, and their sanity.
void checkPhase(const QJsonObject& phase)
{
    for (const char* key : {"orders_accepted", "orders_rejected", "events_appended", "head_position",
                            "commands_per_s", "checkout_ms", "lag_ms", "projections", "caught_up"})
        QVERIFY2(phase.contains(QLatin1StringView(key)), key);
    for (const char* key : {"checkout_ms", "lag_ms"}) {
        const QJsonObject p = phase.value(QLatin1StringView(key)).toObject();
        for (const char* q : {"p50", "p95", "p99", "max"})
            QVERIFY2(p.contains(QLatin1StringView(q)), q);
        QVERIFY(p.value(QStringLiteral("p50")).toDouble() <= p.value(QStringLiteral("p99")).toDouble());
        QVERIFY(p.value(QStringLiteral("p99")).toDouble() <= p.value(QStringLiteral("max")).toDouble());
    }
    QVERIFY(phase.value(QStringLiteral("caught_up")).toBool());
    QVERIFY(phase.value(QStringLiteral("orders_accepted")).toInteger() > 0);
    const qint64 head = phase.value(QStringLiteral("head_position")).toInteger();
    const QJsonArray projections = phase.value(QStringLiteral("projections")).toArray();
    QCOMPARE(projections.size(), 5);
    for (const QJsonValue& value : projections) {
        const QJsonObject p = value.toObject();
        QCOMPARE(p.value(QStringLiteral("checkpoint")).toInteger(), head);
        QCOMPARE(p.value(QStringLiteral("events_behind")).toInteger(), 0);
        QCOMPARE(p.value(QStringLiteral("state")).toString(), QStringLiteral("live"));
    }
}

} // namespace

class TestScenarios final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void steadyPlacesOnlyOrdersAndCatchesUp()
    {
        QTemporaryDir dir;
        HeadlessOptions options;
        options.dbDir = dir.path();
        options.durationS = 1.0;
        options.ratePerS = 300;
        options.reportPath = dir.filePath(QStringLiteral("report.json"));
        const Outcome outcome = runScenario(options);
        QCOMPARE(outcome.exitCode, 0);
        checkPhase(outcome.report);
        // 70 seed events, then one event per accepted command.
        const QJsonObject& r = outcome.report;
        QCOMPARE(r.value(QStringLiteral("head_position")).toInteger(),
                 70 + r.value(QStringLiteral("events_appended")).toInteger());
        QCOMPARE(r.value(QStringLiteral("orders_rejected")).toInteger(), 0);
        QVERIFY(outcome.out.contains(QStringLiteral("orders accepted")));
    }

    void mixedRejectsSomeAndStaysConsistent()
    {
        QTemporaryDir dir;
        HeadlessOptions options;
        options.dbDir = dir.path();
        options.scenario = QStringLiteral("mixed");
        options.durationS = 1.5;
        options.ratePerS = 600;
        options.mode = ArchitectureMode::Logical;
        options.reportPath = dir.filePath(QStringLiteral("report.json"));
        const Outcome outcome = runScenario(options);
        QCOMPARE(outcome.exitCode, 0);
        checkPhase(outcome.report);
        QCOMPARE(outcome.report.value(QStringLiteral("mode")).toString(), QStringLiteral("logical"));
        QVERIFY(outcome.report.value(QStringLiteral("orders_rejected")).toInteger() > 0);
    }

    void contentionRunsEveryModeWithAnalytics()
    {
        QTemporaryDir dir;
        HeadlessOptions options;
        options.dbDir = dir.path();
        options.scenario = QStringLiteral("contention");
        options.durationS = 1.0;
        options.ratePerS = 200;
        options.analyticsPerS = 10;
        options.preloadOrders = 300;
        options.reportPath = dir.filePath(QStringLiteral("report.json"));
        const Outcome outcome = runScenario(options);
        QCOMPARE(outcome.exitCode, 0);
        const QJsonObject modes = outcome.report.value(QStringLiteral("modes")).toObject();
        QCOMPARE(modes.keys(), (QStringList{QStringLiteral("crud"), QStringLiteral("logical"), QStringLiteral("physical")}));
        for (const QString& mode : modes.keys()) {
            const QJsonObject phase = modes.value(mode).toObject();
            checkPhase(phase);
            QCOMPARE(phase.value(QStringLiteral("mode")).toString(), mode);
            QVERIFY(phase.value(QStringLiteral("analytics_reports")).toInteger() > 0);
            QCOMPARE(phase.value(QStringLiteral("analytics_reports_failed")).toInteger(), 0);
            QVERIFY(phase.value(QStringLiteral("wal_max_bytes")).toInteger() >= 0);
            // CRUD's reports share the rollback journal with the commits.
            QCOMPARE(phase.value(QStringLiteral("write_journal")).toString(),
                     mode == QStringLiteral("crud") ? QStringLiteral("rollback") : QStringLiteral("wal"));
            // The preload is in the store but not in the measured counts.
            QVERIFY(phase.value(QStringLiteral("head_position")).toInteger() >= 70 + 300);
        }
        QVERIFY(outcome.report.contains(QStringLiteral("checkout_p99_crud_over_physical")));
        // Each mode had its own store.
        for (const char* mode : {"crud", "logical", "physical"})
            QVERIFY(QFile::exists(QDir(dir.path()).filePath(QLatin1StringView(mode) + QStringLiteral("/write.db"))));
    }

    void catchUpAppliesExactlyWhatQueuedWhilePaused()
    {
        QTemporaryDir dir;
        HeadlessOptions options;
        options.dbDir = dir.path();
        options.scenario = QStringLiteral("catch-up");
        options.durationS = 1.0;
        options.ratePerS = 400;
        options.reportPath = dir.filePath(QStringLiteral("report.json"));
        const Outcome outcome = runScenario(options);
        QCOMPARE(outcome.exitCode, 0);
        checkPhase(outcome.report);
        // Paused for the whole traffic: everything it appended was behind (and
        // possibly some seed events the views had not reached when paused).
        const qint64 backlog = outcome.report.value(QStringLiteral("catch_up_events")).toInteger();
        QVERIFY(backlog >= outcome.report.value(QStringLiteral("events_appended")).toInteger());
        QVERIFY(backlog <= outcome.report.value(QStringLiteral("head_position")).toInteger());
        QVERIFY(outcome.report.value(QStringLiteral("catch_up_events_per_s")).toDouble() > 0);
    }

    void rebuildReplaysTheWholeLogIntoEveryView()
    {
        QTemporaryDir dir;
        HeadlessOptions options;
        options.dbDir = dir.path();
        options.scenario = QStringLiteral("rebuild");
        options.durationS = 1.0;
        options.ratePerS = 500;
        options.reportPath = dir.filePath(QStringLiteral("report.json"));
        const Outcome outcome = runScenario(options);
        QCOMPARE(outcome.exitCode, 0);
        checkPhase(outcome.report);
        const qint64 head = outcome.report.value(QStringLiteral("head_position")).toInteger();
        QCOMPARE(outcome.report.value(QStringLiteral("rebuild_events")).toInteger(), head * 5);
        QVERIFY(outcome.report.value(QStringLiteral("rebuild_ms")).toInteger() > 0);
    }
};

QTEST_GUILESS_MAIN(TestScenarios)
#include "tst_scenarios.moc"
