#include "ui/chartscale.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace cqrs::ui {

namespace {
/// A jump this large between two neighbouring values (sorted) separates
/// outliers from the rest.
constexpr double outlierRatio = 4.0;
/// At most this share of the points (and at least three) may go off scale.
constexpr double offScaleShare = 0.02;
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

ChartScale ChartScale::fit(QList<double> values, const QString& unit, int maxTicks, double previousTop)
{
    ChartScale scale;
    values.removeIf([](double v) { return !std::isfinite(v) || v < 0; });
    std::sort(values.begin(), values.end(), std::greater<double>());

    // The biggest jump among the largest few values: what lies above it is
    // off scale, if the jump is big enough to call them outliers.
    const qsizetype allowed = std::max<qsizetype>(3, qsizetype(values.size() * offScaleShare));
    qsizetype cut = 0;
    double bestRatio = outlierRatio;
    for (qsizetype i = 1; i <= allowed && i < values.size(); ++i) {
        // Nothing is an outlier against zeros: a lone measurement on an
        // idle chart is the signal.
        if (values.at(i) <= 0)
            break;
        const double ratio = values.at(i - 1) / values.at(i);
        if (ratio > bestRatio) {
            bestRatio = ratio;
            cut = i;
        }
    }
    const double robustMax = values.size() > cut ? values.at(cut) : 0;
    double top = niceCeiling(std::max(1.0, robustMax * 1.1));
    if (previousTop > 0 && top <= previousTop && top >= previousTop / 4)
        top = previousTop; // shrink only when far too tall
    scale.top = top;
    for (double v : std::as_const(values)) {
        if (v > top * (1 + 1e-9)) {
            ++scale.offScale;
            scale.offScaleMax = std::max(scale.offScaleMax, v);
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
