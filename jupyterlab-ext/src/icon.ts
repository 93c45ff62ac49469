/** The sidebar icon: a pyramid of resolution levels. */
import { LabIcon } from '@jupyterlab/ui-components';

const svgstr =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161"><path d="M3 4h18v2H3zM5 8h14v2H5zM7 12h10v2H7zM9 16h6v2H9zM11 20h2v2h-2z"/></g></svg>';

export const pyramidIcon = new LabIcon({ name: 'jupyterlab-fairio:pyramid', svgstr });
