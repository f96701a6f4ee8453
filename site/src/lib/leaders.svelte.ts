import { api, call } from './api';
import { loadCampaign, type PagePhase } from './campaign-page';
import type { Campaign, CampaignDetail } from './campaigns';
import { ALL_SCHOOLS, type LeadersView, pipelineGrid, pipelineSchools } from './leaders';

/** The leaders page for one campaign: its three lists and the school the pipeline is shown for. */
export class Leaders {
  phase = $state<PagePhase>('loading');
  campaigns = $state<Campaign[] | null>(null);
  campaign = $state<CampaignDetail | null>(null);
  view = $state<LeadersView | null>(null);
  error = $state('');
  school = $state(ALL_SCHOOLS);

  schools = $derived(this.view ? pipelineSchools(this.view) : []);
  grid = $derived(this.view ? pipelineGrid(this.view.pipeline, this.school) : null);

  /**
   * The page stays as it was first drawn ("Loading the campaign…", in space kept for the
   * page) until the leaders have arrived too, and then shows everything in one go: nothing
   * already on the screen moves down as a later answer comes in.
   */
  async start(id: string | null): Promise<void> {
    const { phase, campaign, campaigns } = await loadCampaign(id);
    this.campaign = campaign;
    this.campaigns = campaigns;
    if (phase !== 'ready' || !campaign) {
      this.phase = phase;
      return;
    }
    const res = await call(() => api.campaigns[':id'].leaders.$get({ param: { id: campaign.id } }));
    if (res.ok) this.view = res.data;
    else if (res.problem.code === 'ANONYMOUS_CAMPAIGN') {
      this.phase = 'anonymous';
      return;
    } else if (res.problem.code !== 'SIGNED_OUT')
      this.error = `The leaders could not be loaded: ${res.problem.message}`;
    this.phase = 'ready';
  }
}
