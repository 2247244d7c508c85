// cqrs-lab-bench: runs the measurements of issue #5, each next to its raw
// SQLite baseline in the same process, and prints one table of results,
// ratios and targets (progress goes to stderr, the table to stdout).
#include "benchoptions.h"
#include "benchsupport.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "resulttable.h"

#include "util/monotonicclock.h"

#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSaveFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

namespace {

using namespace cqrs::bench;

QString machineText(const MachineInfo& m) {
    return QStringLiteral("%1 cores (nproc), %2, %3 GiB RAM, %4, %5; SQLite %6, Qt %7")
        .arg(m.cores)
        .arg(m.cpuModel)
        .arg(m.ramGiB, 0, 'f', 1)
        .arg(m.os, m.kernel, m.sqliteVersion, m.qtVersion);
}

/// Runs one measurement in a fresh copy of this program and adds its rows.
/// Used for the memory measurement when others run too: their windows,
/// caches and freed-but-kept heap would otherwise sit in the RSS it watches.
void runInChild(const QString& name, const BenchOptions& options, ResultTable& table) {
    const QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("report.json"));
    QStringList arguments{QStringLiteral("--only"),
                          name,
                          QStringLiteral("--json"),
                          report,
                          QStringLiteral("--memory-duration"),
                          QString::number(options.memorySeconds)};
    if (options.quick)
        arguments.prepend(QStringLiteral("--quick"));
    if (!options.workDir.isEmpty())
        arguments << QStringLiteral("--dir") << options.workDir;
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.setStandardOutputFile(QProcess::nullDevice());
    child.start(QCoreApplication::applicationFilePath(), arguments);
    if (!child.waitForFinished(-1) || child.exitStatus() != QProcess::NormalExit)
        throw BenchError(
            QStringLiteral("the child process for %1 failed: %2").arg(name, child.errorString()));
    QFile file(report);
    if (!file.open(QIODevice::ReadOnly))
        throw BenchError(QStringLiteral("the child process for %1 wrote no report").arg(name));
    const QJsonArray rows =
        QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("rows")).toArray();
    for (const QJsonValue& row : rows)
        table.add(resultRowFromJson(row.toObject()));
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        progress() << "Cannot write " << path << ": " << file.errorString() << Qt::endl;
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    // The GUI measurement creates the real window: without a display it has
    // to be offscreen, and a display is not wanted for a benchmark anyway.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("CQRS Lab Bench"));
    QCoreApplication::setApplicationName(QStringLiteral("cqrs-lab-bench"));

    const ParsedOptions parsed = parseOptions(QCoreApplication::arguments());
    if (parsed.exit) {
        std::fputs(qUtf8Printable(parsed.message), parsed.exitCode == 0 ? stdout : stderr);
        return parsed.exitCode;
    }
    const BenchOptions& options = parsed.options;

    // MainWindow saves and restores its knobs with QSettings; keep the
    // user's own settings out of it (and it out of them).
    const QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    const MachineInfo machine = machineInfo();
    QTextStream out(stdout);
    const QString started = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const QString loadBefore = loadAverage();
    progress() << "cqrs-lab-bench (" << (options.quick ? "quick" : "full")
               << "): " << options.selected.join(QStringLiteral(", ")) << Qt::endl
               << "machine: " << machineText(machine) << Qt::endl;

    using Measure = void (*)(const BenchOptions&, ResultTable&);
    const QList<std::pair<QString, Measure>> measurements{
        {QStringLiteral("placeorder"), benchPlaceOrder},
        {QStringLiteral("latency"), benchCommitLatency},
        {QStringLiteral("projector"), benchProjector},
        {QStringLiteral("visibility"), benchVisibility},
        {QStringLiteral("contention"), benchContention},
        {QStringLiteral("gui"), benchGuiStall},
        {QStringLiteral("memory"), benchMemory},
        {QStringLiteral("receipts"), benchReceiptCost}};
    ResultTable table;
    const qint64 runStart = cqrs::monotonicNowNs();
    QStringList durations;
    for (const auto& [name, measure] : measurements) {
        if (!options.wants(name))
            continue;
        const qint64 start = cqrs::monotonicNowNs();
        try {
            if (name == QStringLiteral("memory") && options.selected.size() > 1)
                runInChild(name, options, table);
            else
                measure(options, table);
        } catch (const std::exception& error) {
            ResultRow row;
            row.id = name;
            row.what =
                QStringLiteral("%1 could not run: %2").arg(name, QString::fromUtf8(error.what()));
            row.figure = QStringLiteral("—");
            row.verdict = Verdict::Error;
            table.add(row);
            progress() << "[" << name << "] ERROR: " << error.what() << Qt::endl;
        }
        durations.append(QStringLiteral("%1 %2 s").arg(name).arg(secondsSince(start), 0, 'f', 0));
    }
    const double totalS = secondsSince(runStart);
    // Other processes share the cores: say how busy the machine was.
    const QString load =
        QStringLiteral("load average %1 at start, %2 at end").arg(loadBefore, loadAverage());

    out << "\nCQRS Lab benchmark — " << (options.quick ? "quick" : "full") << " run, " << started
        << "\nmachine: " << machineText(machine) << "\n"
        << load << "\ncommand: " << options.commandLine << "\nfigures are medians of "
        << options.repeats << " (throughput) / " << options.timedRepeats << " (timed) runs\n\n";
    table.printText(out);
    out << "\ntime: " << durations.join(QStringLiteral(", ")) << "; total "
        << QString::number(totalS, 'f', 0) << " s\n";
    out.flush();

    bool ok = true;
    if (!options.markdownPath.isEmpty()) {
        // One multi-argument arg(): inserted text is never scanned for %N again.
        const QString text =
            QStringLiteral(
                "Run: %1 (%2)\n\nMachine: %3 (%4)\n\nCommand: `%5`\n\n%6\nTime: %7; total %8 s\n")
                .arg(started, options.quick ? QStringLiteral("quick") : QStringLiteral("full"),
                     machineText(machine), load, options.commandLine, table.markdown(),
                     durations.join(QStringLiteral(", ")), QString::number(totalS, 'f', 0));
        ok = writeFile(options.markdownPath, text.toUtf8()) && ok;
    }
    if (!options.jsonPath.isEmpty()) {
        QJsonObject report = table.json();
        report.insert(QStringLiteral("started"), started);
        report.insert(QStringLiteral("mode"),
                      options.quick ? QStringLiteral("quick") : QStringLiteral("full"));
        report.insert(QStringLiteral("command"), options.commandLine);
        report.insert(QStringLiteral("machine"), machineText(machine));
        report.insert(QStringLiteral("load"), load);
        report.insert(QStringLiteral("total_seconds"), totalS);
        ok = writeFile(options.jsonPath, QJsonDocument(report).toJson()) && ok;
    }
    // Missed targets are results, not failures; only a measurement that
    // could not run (or an unwritable report) makes the exit code non-zero.
    bool errors = false;
    for (const ResultRow& row : table.rows())
        errors = errors || row.verdict == Verdict::Error;
    return errors || !ok ? 1 : 0;
}
