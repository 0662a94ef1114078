/**
 * The seeds' survey forms (需求调查, 体验问卷) and the managers' tabs that steer whom a
 * lead goes to (线索分配), how each tier is served (分层策略) and what service should
 * reach (服务目标). docs/workbook.md describes every column.
 */
import { col, customerRef, oneOf } from './columns.ts';
import type { TabDef } from './types.ts';
import * as V from './values.ts';

/** 客户需求调查表 */
export const NEEDS_SURVEYS = {
  name: '需求调查',
  key: 'needsSurveys',
  kind: 'data',
  idColumn: 'surveyId',
  idPrefix: 'Q',
  idDateColumn: 'date',
  columns: [
    col('surveyId', '调查编号', 'Survey ID', 'id', { width: 13 }),
    customerRef,
    col('date', '调查日期', 'Survey Date', 'date', { required: true, width: 12 }),
    col('by', '调查人', 'Surveyed By', 'text', { required: true, width: 10 }),
    col('productNeeds', '产品需求', 'Product Needs', 'text', { width: 24 }),
    col('serviceNeeds', '服务需求', 'Service Needs', 'text', { width: 24 }),
    col('priceExpectation', '价格期望', 'Price Expectation', 'text', { width: 16 }),
    col('purchasePlan', '采购计划', 'Purchase Plan', 'text', { width: 20 }),
    col('competitors', '主要竞品', 'Main Competitors', 'text', { width: 16 }),
    col('suggestions', '建议', 'Suggestions', 'text', { width: 24 }),
  ],
} as const satisfies TabDef;

const score5 = { min: 1, max: 5, width: 10, hint: '1–5 分，5 分最满意' } as const;

/** 新客户体验问卷 */
export const EXPERIENCE_SURVEYS = {
  name: '体验问卷',
  key: 'experienceSurveys',
  kind: 'data',
  idColumn: 'surveyId',
  idPrefix: 'W',
  idDateColumn: 'date',
  columns: [
    col('surveyId', '问卷编号', 'Questionnaire ID', 'id', { width: 13 }),
    customerRef,
    col('date', '填写日期', 'Filled On', 'date', { required: true, width: 12 }),
    col('overall', '整体满意度', 'Overall Satisfaction', 'integer', {
      ...score5,
      required: true,
    }),
    col('product', '产品满意度', 'Product Satisfaction', 'integer', score5),
    col('service', '服务满意度', 'Service Satisfaction', 'integer', score5),
    col('delivery', '交付满意度', 'Delivery Satisfaction', 'integer', score5),
    col('recommend', '推荐意愿', 'Likelihood to Recommend', 'integer', {
      min: 0,
      max: 10,
      width: 9,
      hint: '0–10 分，10 分最愿意推荐',
    }),
    col('improvement', '改进建议', 'Suggested Improvements', 'text', { width: 28 }),
    col('tag', '标签', 'Tag', 'text', { defaultValue: V.FIRST_FEEDBACK_TAG, width: 14 }),
  ],
} as const satisfies TabDef;

/** A lead without a 负责人 goes to the first matching row (docs/rules.md#lead-assignment-线索分配). */
export const LEAD_ASSIGNMENT = {
  name: '线索分配',
  key: 'leadAssignment',
  kind: 'config',
  columns: [
    col('priority', '优先级', 'Priority', 'number', { required: true, width: 8 }),
    col('industry', '所属行业', 'Industry', 'enum', {
      values: V.DEFAULT_INDUSTRIES,
      valuesFrom: { kind: 'setting', setting: '行业列表' },
      outsideValues: 'warning',
      width: 12,
      hint: '留空表示任何行业',
    }),
    col('region', '区域', 'Region', 'text', { width: 10, hint: '留空表示任何区域' }),
    col('owner', '负责人', 'Owner', 'text', { required: true, width: 10 }),
  ],
  // Empty by default: which rep covers what is each team's own.
  defaultRows: [],
} as const satisfies TabDef;

/** How each tier is served: a text shown with the customer and an optional visit cycle. */
export const TIER_STRATEGIES = {
  name: '分层策略',
  key: 'tierStrategies',
  kind: 'config',
  columns: [
    col('tier', '分层名称', 'Tier', 'text', {
      required: true,
      valuesFrom: { kind: 'configColumn', tab: '分层规则', column: 'tier' },
      width: 12,
    }),
    col('strategy', '服务策略', 'Service Strategy', 'text', { width: 40 }),
    col('visitMonths', '回访周期(月)', 'Visit Cycle (months)', 'number', {
      width: 10,
      hint: '留空则按客户类型的回访周期参数',
    }),
  ],
  defaultRows: [
    ['高价值客户', '专属客户经理，每月回访，优先响应工单', 1],
    ['活跃客户', '保持互动，关注复购与满意度', 2],
    ['潜力客户', '加快跟进，推动签约'],
    ['普通客户', '按客户类型的周期回访'],
  ],
} as const satisfies TabDef;

/** Targets for the 服务指标 figures. */
export const SERVICE_TARGETS = {
  name: '服务目标',
  key: 'serviceTargets',
  kind: 'config',
  columns: [
    col(
      'metric',
      '指标',
      'Metric',
      'enum',
      oneOf(V.SERVICE_TARGET_METRICS, { required: true, width: 14 }),
    ),
    col('target', '目标值', 'Target', 'number', { required: true, min: 0, width: 10 }),
  ],
  defaultRows: [
    ['按时率', 0.95],
    ['平均满意度', 4.5],
    ['重复投诉率', 0.05],
  ],
} as const satisfies TabDef;
