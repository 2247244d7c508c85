#include "benchoptions.h"

#include <QCommandLineParser>

namespace cqrs::bench {

const QStringList& BenchOptions::allMeasurements() {
    static const QStringList names{QStringLiteral("placeorder"), QStringLiteral("latency"),
                                   QStringLiteral("projector"),  QStringLiteral("visibility"),
                                   QStringLiteral("contention"), QStringLiteral("gui"),
                                   QStringLiteral("memory"),     QStringLiteral("receipts")};
    return names;
}

void BenchOptions::applyQuick() {
    // A smoke check of every measurement: one run each, short durations.
    // The memory run keeps 60 s (issue #5); the rest fits in about a minute
    // on an idle 2-core machine.
    quick = true;
    repeats = 1;
    timedRepeats = 1;
    ordersOneByOne = 2'000;
    ordersGrouped = 10'000;
    latencySeconds = 4;
    logEvents = 100'000;
    projectorLimitSeconds = 4;
    visibilitySeconds = 4;
    contentionOrders = 100'000; // the store size target 5 is stated for
    contentionSeconds = 4;
    guiSeconds = 5;
    memoryWarmupSeconds = 10;
    memorySeconds = 60;
}

namespace {

bool parseList(const QString& text, QStringList* out, QString* error) {
    out->clear();
    for (const QString& part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString name = part.trimmed().toLower();
        if (!BenchOptions::allMeasurements().contains(name)) {
            *error = QStringLiteral("Unknown measurement \"%1\"; choose from %2.")
                         .arg(name, BenchOptions::allMeasurements().join(QStringLiteral(", ")));
            return false;
        }
        if (!out->contains(name))
            out->append(name);
    }
    return true;
}

template <typename T>
bool parseNumber(const QCommandLineParser& parser, const QString& name, T min, T* out,
                 QString* error) {
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || value < double(min)) {
        *error = QStringLiteral("--%1 needs a number of at least %2.").arg(name).arg(double(min));
        return false;
    }
    *out = T(value);
    return true;
}

bool readValues(const QCommandLineParser& parser, BenchOptions& options, QString* error) {
    // --quick first, so explicit sizes given with it still win.
    if (parser.isSet(QStringLiteral("quick")))
        options.applyQuick();
    QStringList list;
    if (parser.isSet(QStringLiteral("only"))) {
        if (!parseList(parser.value(QStringLiteral("only")), &list, error))
            return false;
        options.selected = list;
    }
    if (parser.isSet(QStringLiteral("skip"))) {
        if (!parseList(parser.value(QStringLiteral("skip")), &list, error))
            return false;
        for (const QString& name : std::as_const(list))
            options.selected.removeAll(name);
    }
    int repeat = 0;
    if (!parseNumber(parser, QStringLiteral("repeat"), 1, &repeat, error))
        return false;
    if (repeat > 0)
        options.repeats = options.timedRepeats = repeat;
    double duration = 0;
    if (!parseNumber(parser, QStringLiteral("duration"), 1.0, &duration, error))
        return false;
    if (duration > 0)
        options.latencySeconds = options.visibilitySeconds = options.contentionSeconds =
            options.guiSeconds = duration;
    if (!parseNumber(parser, QStringLiteral("orders"), 100, &options.ordersOneByOne, error) ||
        !parseNumber(parser, QStringLiteral("grouped-orders"), 100, &options.ordersGrouped,
                     error) ||
        !parseNumber(parser, QStringLiteral("events"), 1'000, &options.logEvents, error) ||
        !parseNumber(parser, QStringLiteral("memory-duration"), 1.0, &options.memorySeconds, error))
        return false;
    options.workDir = parser.value(QStringLiteral("dir"));
    options.markdownPath = parser.value(QStringLiteral("markdown"));
    options.jsonPath = parser.value(QStringLiteral("json"));
    return true;
}

} // namespace

ParsedOptions parseOptions(const QStringList& arguments) {
    ParsedOptions parsed;
    BenchOptions& options = parsed.options;
    options.commandLine = arguments.join(u' ');

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral(
            "Measures CQRS Lab against a raw SQLite C API baseline in the same run and prints a "
            "table with the ratios.\nMeasurements: ") +
        BenchOptions::allMeasurements().join(QStringLiteral(", ")));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("quick"), QStringLiteral("Small sizes and short runs (a smoke check).")},
        {QStringLiteral("only"), QStringLiteral("Run only these measurements (comma-separated)."),
         QStringLiteral("list")},
        {QStringLiteral("skip"), QStringLiteral("Leave these measurements out (comma-separated)."),
         QStringLiteral("list")},
        {QStringLiteral("repeat"), QStringLiteral("Repeats of every measurement (median shown)."),
         QStringLiteral("n")},
        {QStringLiteral("orders"),
         QStringLiteral("PlaceOrder: orders per run with one transaction per command."),
         QStringLiteral("n")},
        {QStringLiteral("grouped-orders"),
         QStringLiteral("PlaceOrder: orders per run with group commit."), QStringLiteral("n")},
        {QStringLiteral("events"), QStringLiteral("Projector: events in the log."),
         QStringLiteral("n")},
        {QStringLiteral("duration"),
         QStringLiteral("Seconds of each timed run (latency, visibility, contention, GUI)."),
         QStringLiteral("s")},
        {QStringLiteral("memory-duration"),
         QStringLiteral("Memory: seconds measured after the warm-up."), QStringLiteral("s")},
        {QStringLiteral("dir"), QStringLiteral("Parent directory of the temporary stores."),
         QStringLiteral("path")},
        {QStringLiteral("markdown"), QStringLiteral("Also write the table as Markdown."),
         QStringLiteral("file")},
        {QStringLiteral("json"), QStringLiteral("Also write the results as JSON."),
         QStringLiteral("file")},
    });
    if (!parser.parse(arguments)) {
        parsed.message = parser.errorText() + u'\n' + parser.helpText();
        parsed.exitCode = 2;
        parsed.exit = true;
        return parsed;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        parsed.message = parser.helpText();
        parsed.exit = true;
        return parsed;
    }
    if (!parser.positionalArguments().isEmpty()) {
        parsed.message = QStringLiteral("Unexpected argument \"%1\".\n")
                             .arg(parser.positionalArguments().constFirst()) +
                         parser.helpText();
        parsed.exitCode = 2;
        parsed.exit = true;
        return parsed;
    }

    if (QString error; !readValues(parser, options, &error)) {
        parsed.message = error + u'\n';
        parsed.exitCode = 2;
        parsed.exit = true;
    }
    return parsed;
}

} // namespace cqrs::bench
