#pragma once

#include <QList>
#include <QWidget>

#include <optional>

namespace cqrs::ui {

/// A consistency receipt drawn as a waterfall: one row per moment of the
/// event's way through the lab, on one axis of milliseconds after the
/// command was submitted. A row without an end is still under way; a row
/// without a start has no place on the axis and shows only its text.
class ReceiptWaterfall final : public QWidget {
    Q_OBJECT

public:
    struct Row {
        QString label;
        std::optional<double> startMs;
        std::optional<double> endMs;
        /// What the row says in words ("0.41 ms", "not applied yet: paused").
        QString text;
        bool highlighted = false;
    };

    explicit ReceiptWaterfall(QWidget* parent = nullptr);

    void setRows(const QList<Row>& rows);
    const QList<Row>& rows() const { return m_rows; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int rowHeight() const;
    int labelWidth() const;

    QList<Row> m_rows;
};

} // namespace cqrs::ui
