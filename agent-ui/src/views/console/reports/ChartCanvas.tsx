import { useEffect, useRef } from 'preact/hooks';
import { Chart, type AnyChartConfig } from './charts';

/**
 * A chart on its own canvas. The canvas is an image to assistive technology, named by `label` (which
 * describes what the chart shows); the table of the same figures is on the page beside it.
 */
export function ChartCanvas(props: {
  title: string;
  label: string;
  config: AnyChartConfig;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return;
    const chart = new Chart(canvas.current, props.config);
    return () => chart.destroy();
  }, [props.config]);
  return (
    <figure class="report-chart">
      <figcaption>{props.title}</figcaption>
      <div
        class="report-chart-body"
        style={props.height === undefined ? undefined : { height: `${props.height}px` }}
      >
        <canvas ref={canvas} role="img" aria-label={props.label} />
      </div>
    </figure>
  );
}
