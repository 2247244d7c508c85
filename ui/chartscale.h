#pragma once

#include <QList>
#include <QString>

namespace cqrs::ui {

/// The y axis of a live chart, chosen from the values on screen: a round
/// top that a few outliers cannot inflate (they are clamped to it and
/// counted as off scale), ticks that fit the height, fixed-point labels
/// (never scientific notation), and milliseconds shown as seconds once the
/// top passes 10 s.
struct ChartScale
{
    /// Axis maximum, in the values' own unit.
    double top = 1;
    /// Displayed values are the values divided by this (1000: ms shown as s).
    double divisor = 1;
    QString displayUnit;
    /// Distance between ticks, in displayed units.
    double tickInterval = 0.25;
    int decimals = 2;
    /// Values above `top`, drawn clamped at the top, and the largest of them.
    int offScale = 0;
    double offScaleMax = 0;

    /// A value on screen and the moment it belongs to (any id; values of
    /// one moment share it).
    struct Value
    {
        double value;
        qint64 moment;
    };

    /// `values`: every value on screen. An outlier is a value far above the
    /// rest at one or two moments only; a plateau or a climb is the signal
    /// and stays on scale. `previousTop`: the top shown now (0 for none); the
    /// axis grows at once but shrinks only when far too tall.
    static ChartScale fit(QList<Value> values, const QString& unit, int maxTicks, double previousTop = 0);
    /// The same for values that are each a moment of their own.
    static ChartScale fit(const QList<double>& values, const QString& unit, int maxTicks, double previousTop = 0);

    /// printf-style label format for QValueAxis, e.g. "%.1f ms".
    QString labelFormat() const;
    /// "12 ms", "3.5 s": a value in the values' unit, as the axis shows it.
    QString format(double value) const;
};

/// 1, 2 or 5 times a power of ten, at least `value`.
double niceCeiling(double value);

} // namespace cqrs::ui
