/** Name pools for the fictional city. Names are unique city-wide so name matching is unambiguous. */

export const CITY_NAME = '北宁市';

export interface DistrictSpec {
  name: string;
  code: string;
  kind: 'urban' | 'suburban' | 'rural';
}

/** The first four are the inner urban districts. */
export const DISTRICTS: DistrictSpec[] = [
  { name: '中山区', code: 'ZS', kind: 'urban' },
  { name: '河东区', code: 'HD', kind: 'urban' },
  { name: '河西区', code: 'HX', kind: 'urban' },
  { name: '北城区', code: 'BC', kind: 'urban' },
  { name: '南湖区', code: 'NH', kind: 'suburban' },
  { name: '高新区', code: 'GX', kind: 'suburban' },
  { name: '临河县', code: 'LH', kind: 'rural' },
];

export const URBAN_STREET_STEMS = [
  '建设', '和平', '胜利', '解放', '人民', '新华', '光明', '朝阳', '东风', '向阳', '红旗', '团结', '文化', '幸福',
  '长江', '黄河', '五一', '先锋', '友谊', '振兴', '站前', '滨河', '北关', '南关', '东关', '西关', '鼓楼', '钟楼',
  '府前', '广场', '兴华', '学府', '新城', '龙泉', '天宁', '惠民', '永安', '安居', '康乐', '中华', '春华', '锦绣',
  '明珠', '桃园', '枫林', '翠湖', '金桥', '运河', '工农', '铁西',
];

export const TOWN_STEMS = [
  '太平', '杨柳青', '李庄', '王家营', '马坊', '张家湾', '大王庄', '小河', '白塔', '双桥', '石桥', '东沙河', '西沙河',
  '五里铺', '十里河', '北仓', '南仓', '高家庄', '刘集', '赵村', '柳林', '青龙湾', '黄花店', '潘庄',
];

export const COMMUNITY_PREFIXES = [
  '阳光', '锦华', '康泰', '华苑', '丽景', '紫荆', '梧桐', '芳草', '月季', '海棠', '牡丹', '青年', '工人', '铁路',
  '电力', '纺织', '机床', '化工', '钢厂', '水厂', '邮电', '师范', '体育', '滨湖', '南苑', '北苑', '东苑', '西苑',
  '嘉禾', '御景', '星河', '银河', '天河', '翠园', '怡园', '春晖', '朝晖', '晨光', '曙光', '红星', '红光', '前进',
  '育才', '园丁', '书香', '碧水', '青山', '绿洲', '蓝天', '白云', '彩虹', '丰收', '裕华', '兴业', '民生', '福寿',
  '吉祥', '如意', '长青', '松柏', '竹林', '桂花', '荷花', '菊园', '兰亭', '汇丰', '金源', '银座', '宝龙', '百合',
  '玉兰', '樱花', '杏林', '梨园', '枣园', '柳岸', '河畔', '湖滨', '泉水', '金地', '华府', '龙城', '凤鸣', '新桥',
];

export const COMMUNITY_SUFFIXES = ['里', '园', '苑', '新村', '家园', '花园', '东里', '西里', '北里', '南里', '佳园'];

export const VILLAGE_SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹'];
export const VILLAGE_SUFFIXES = ['家庄村', '庄村', '营村', '屯村', '堡村', '家洼村', '家河村', '店村'];

export const ROAD_STEMS = [
  '中山', '解放', '建国', '人民', '胜利', '和平', '新华', '长安', '光华', '育英', '北环', '南环', '东环', '西环',
  '滨河', '沿河', '迎宾', '工业', '学院', '科技', '文化', '体育', '黄河', '长江', '珠江', '泰山', '华山', '燕山',
  '太行', '昆仑', '天山', '卫津', '海河', '永定', '幸福', '友谊', '团结', '光明', '朝阳', '和顺',
];
export const ROAD_SUFFIXES = ['路', '大街', '道', '街'];

/** Street-like names that exist nowhere in the city: a few orders carry them (and no coordinates) to exercise place matching's `none`. */
export const UNKNOWN_STREETS = ['新港街道', '城南街道', '西郊镇', '开发区管委会', '东城街道'];
export const UNKNOWN_DISTRICTS = ['新区', '开发区', '东城区'];
