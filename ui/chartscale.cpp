#include "ui/chartscale.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace cqrs::ui {

namespace {
/// A jump this large between two neighbouring values (sorted) separates
/// outliers from the rest.
constexpr double outlierRatio = 4.0;
/// Values of at most this many moments may go off scale: a spike, not a
/// plateau (a p99 held for the seconds of its window) or a climb.
constexpr int maxOutlierMoments = 2;
constexpr double secondsFromMs = 10'000;
} // namespace

double niceCeiling(double value)
{
    if (!(value > 0))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * power * (1 + 1e-9))
            return step * power;
    }
    return 10 * power;
}

ChartScale ChartScale::fit(const QList<double>& values, const QString& unit, int maxTicks, double previousTop)
{
    QList<Value> each;
    each.reserve(values.size());
    for (qsizetype i = 0; i < values.size(); ++i)
        each.append({values.at(i), qint64(i)});
    return fit(std::move(each), unit, maxTicks, previousTop);
}

ChartScale ChartScale::fit(QList<Value> values, const QString& unit, int maxTicks, double previousTop)
{
    ChartScale scale;
    values.removeIf([](const Value& v) { return !std::isfinite(v.value) || v.value < 0; });
    std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) { return a.value > b.value; });

    // The biggest jump among the largest values that belong to at most
    // maxOutlierMoments moments: what lies above it is off scale, if the
    // jump is big enough to call them outliers.
    qsizetype cut = 0;
    double bestRatio = outlierRatio;
    QList<qint64> moments;
    for (qsizetype i = 1; i < values.size(); ++i) {
        if (!moments.contains(values.at(i - 1).moment))
            moments.append(values.at(i - 1).moment);
        if (moments.size() > maxOutlierMoments)
            break;
        // Nothing is an outlier against zeros: a lone measurement on an
        // idle chart is the signal.
        if (values.at(i).value <= 0)
            break;
        const double ratio = values.at(i - 1).value / values.at(i).value;
        if (ratio > bestRatio) {
            bestRatio = ratio;
            cut = i;
        }
    }
    const double robustMax = values.size() > cut ? values.at(cut).value : 0;
    double top = niceCeiling(std::max(1.0, robustMax * 1.1));
    if (previousTop > 0 && top <= previousTop && top >= previousTop / 4)
        top = previousTop; // shrink only when far too tall
    scale.top = top;
    for (const Value& v : std::as_const(values)) {
        if (v.value > top * (1 + 1e-9)) {
            ++scale.offScale;
            scale.offScaleMax = std::max(scale.offScaleMax, v.value);
        }
    }

    scale.displayUnit = unit;
    if (unit == QStringLiteral("ms") && top >= secondsFromMs) {
        scale.divisor = 1000;
        scale.displayUnit = QStringLiteral("s");
    }
    const double shownTop = top / scale.divisor;
    const int ticks = std::max(1, maxTicks);
    // The smallest nice step that needs no more than `ticks` intervals.
    double interval = niceCeiling(shownTop / ticks);
    while (shownTop / interval > ticks + 1e-9)
        interval = niceCeiling(interval * 1.01);
    scale.tickInterval = interval;
    scale.decimals = interval >= 1 ? 0 : std::min(3, int(std::ceil(-std::log10(interval) - 1e-9)));
    return scale;
}

QString ChartScale::labelFormat() const
{
    const QString number = QStringLiteral("%.%1f").arg(decimals);
    return displayUnit.isEmpty() ? number : number + u' ' + displayUnit;
}

QString ChartScale::format(double value) const
{
    const double shown = value / divisor;
    // Off-scale figures get at most one decimal, whatever the axis shows.
    const int places = shown >= 100 ? 0 : std::min(decimals, 1);
    const QString number = QLocale(QLocale::English).toString(shown, 'f', places);
    return displayUnit.isEmpty() ? number : number + u' ' + displayUnit;
}

} // namespace cqrs::ui
